// The Node half of the scan corpus (../gen.py): one HTTP server whose requests are logged by
// morgan (the combined format), pino, winston (timestamp + json, as its docs show) and bunyan,
// each to a file, as an Express or bare Node backend logs them.
const http = require("http");
const fs = require("fs");
const path = require("path");
const morgan = require("morgan");
const pino = require("pino");
const winston = require("winston");
const bunyan = require("bunyan");

const out = process.env.OUT;
const morganLog = morgan("combined", { stream: fs.createWriteStream(path.join(out, "morgan.log")) });
const pinoLog = pino(pino.destination({ dest: path.join(out, "pino.log"), sync: true }));
const winstonLog = winston.createLogger({
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.File({ filename: path.join(out, "winston.log") })],
});
const bunyanLog = bunyan.createLogger({ name: "zoomapp", streams: [{ path: path.join(out, "bunyan.log") }] });

const server = http.createServer((req, res) => {
  morganLog(req, res, () => {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/quit") {
      res.end("bye");
      setTimeout(() => winstonLog.on("finish", () => process.exit(0)).end(), 200);
      return;
    }
    const query = Object.fromEntries(url.searchParams);
    if (url.pathname === "/big") {
      pinoLog.info({ body: "x".repeat(1 << 20), req: { method: req.method, url: req.url, headers: req.headers } }, "request");
    } else {
      pinoLog.info({ req: { method: req.method, url: req.url, headers: req.headers } }, "request");
      winstonLog.info("request", { headers: req.headers, method: req.method, query });
      bunyanLog.info({ req: { method: req.method, url: req.url, headers: req.headers } }, "request");
    }
    res.end("ok");
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");

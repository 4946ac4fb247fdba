// The Express app core/snippet's TestFrameworks runs: the middleware is the one the Node.js
// program's header shows, pasted where EXAMPLE stands.
'use strict';
const path = require('path');
const express = require(path.join(process.env.ZOOMDBG_RUNTIMES, 'node_modules', 'express'));

const app = express();
// EXAMPLE
app.get('/app', requireAppContext, (req, res) => res.json({ uid: req.zoomContext.uid }));
const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port));

# The Ruby app-context program's test harness (core/snippet's tests): one case a line on stdin,
# "hex header or -<TAB>client ID or -<TAB>now ms"; prints "verdict<TAB>reason<TAB>payload JSON or
# message", or "crash<TAB>what" when anything but ZoomAppContext::Refused escapes.
require_relative File.expand_path(ARGV.fetch(0))

secret = ENV.fetch('ZOOM_CLIENT_SECRET')
$stdin.each_line do |line|
  h, cid, now = line.chomp.split("\t")
  header = h == '-' ? nil : [h].pack('H*') # Rack hands header bytes over as they came (binary)
  out = begin
    payload = ZoomAppContext.decrypt(header, secret, cid == '-' ? nil : cid, Integer(now))
    "ok\t\t#{JSON.generate(payload)}"
  rescue ZoomAppContext::Refused => e
    "#{e.verdict}\t#{e.reason}\t#{e.message}"
  rescue Exception => e # rubocop:disable Lint/RescueException -- the point is to see anything that escapes
    "crash\t#{e.class}: #{e.message}"
  end
  puts out.tr("\n", ' ')
end

# A Ruby app (WEBrick, as a Rack app's development server) that decrypts the context with
# OpenSSL::Cipher the way Ruby's own docs show it, and answers every failure with its friendly
# error page, status 200. Bug, as written in the wild: the auth_tag's length is never checked,
# and OpenSSL takes a tag of any length from 1 to 16 bytes.
# Usage: ZOOM_CLIENT_SECRET=... ruby ruby_error_page.rb  (prints its port)
require 'base64'
require 'json'
require 'openssl'
require 'webrick'

def decrypt_app_context(context, secret)
  raw = Base64.urlsafe_decode64(context)
  iv_length = raw.getbyte(0)
  iv = raw.byteslice(1, iv_length)
  pos = 1 + iv_length
  aad_length = raw.byteslice(pos, 2).unpack1('v')
  pos += 2
  aad = raw.byteslice(pos, aad_length)
  pos += aad_length
  cipher_length = raw.byteslice(pos, 4).unpack1('V')
  pos += 4
  ciphertext = raw.byteslice(pos, cipher_length)
  tag = raw.byteslice(pos + cipher_length..)

  cipher = OpenSSL::Cipher.new('aes-256-gcm').decrypt
  cipher.key = OpenSSL::Digest::SHA256.digest(secret)
  cipher.iv = iv
  cipher.auth_tag = tag
  cipher.auth_data = aad
  JSON.parse(cipher.update(ciphertext) + cipher.final)
end

server = WEBrick::HTTPServer.new(BindAddress: '127.0.0.1', Port: 0, AccessLog: [], Logger: WEBrick::Log.new(File::NULL))
server.mount_proc '/app' do |req, res|
  res['Content-Type'] = 'text/html; charset=utf-8'
  begin
    ctx = decrypt_app_context(req['X-Zoom-App-Context'].to_s, ENV.fetch('ZOOM_CLIENT_SECRET'))
    raise 'expired' if ctx['exp'] < (Time.now.to_f * 1000).to_i

    res.body = "<h1>Hello #{ctx['uid']}</h1><p>Your meeting tools are ready.</p>"
  rescue StandardError
    res.body = '<h1>Something went wrong</h1><p>Please close the app and open it again from Zoom.</p>'
  end
end
puts server.config[:Port]
$stdout.flush
trap('TERM') { server.shutdown }
server.start

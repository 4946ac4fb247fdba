# Decrypt and check a Zoom Apps app context (x-zoom-app-context / zoomSdk.getAppContext()).
# Run: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] ruby zoom_app_context.rb TOKEN
require 'base64'
require 'json'
require 'openssl'

module ZoomAppContext
  TAG_SIZE = 16 # AES-GCM's full 128-bit tag; a shorter one would make forgery feasible

  class Refused < StandardError; end

  # Returns the payload of a Zoom app context as a Hash, or raises Refused saying why.
  def self.decrypt(token, client_secret, client_id = nil, now_ms = (Time.now.to_f * 1000).to_i)
    token = token.strip.sub(/=+\z/, '')
    raise Refused, 'not base64url' unless token.match?(/\A[A-Za-z0-9_-]*\z/) && token.length % 4 != 1
    b = Base64.urlsafe_decode64(token + '=' * (-token.length % 4))
    off = 0
    take = lambda do |n, what|
      raise Refused, "#{what} at byte #{off}: needs #{n} bytes, only #{b.bytesize - off} remain" if n > b.bytesize - off
      off += n
      b.byteslice(off - n, n)
    end
    iv = take.call(take.call(1, 'iv length').unpack1('C'), 'iv')
    aad = take.call(take.call(2, 'aad length').unpack1('v'), 'aad')
    ciphertext = take.call(take.call(4, 'ciphertext length').unpack1('V'), 'ciphertext')
    tag = b.byteslice(off..)
    raise Refused, "tag at byte #{off}: expected exactly #{TAG_SIZE} bytes, found #{tag.bytesize}" unless tag.bytesize == TAG_SIZE
    raise Refused, 'iv length is 0' if iv.empty?

    # Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
    c = OpenSSL::Cipher.new('aes-256-gcm').decrypt
    c.key = OpenSSL::Digest::SHA256.digest(client_secret)
    c.iv_len = iv.bytesize
    c.iv = iv
    c.auth_tag = tag
    c.auth_data = aad
    begin
      plaintext = c.update(ciphertext) + c.final
    rescue OpenSSL::Cipher::CipherError
      raise Refused, 'tag mismatch: wrong client secret, or the token was altered'
    end

    payload = begin
      JSON.parse(plaintext)
    rescue JSON::ParserError
      raise Refused, 'payload is not JSON'
    end
    raise Refused, 'payload is not a JSON object' unless payload.is_a?(Hash)
    exp = payload['exp']
    raise Refused, 'payload has no numeric exp' unless exp.is_a?(Numeric)
    raise Refused, "expired #{(now_ms - exp) / 1000} s ago" if exp <= now_ms # exp is epoch milliseconds
    if client_id && !client_id.empty? && payload['aud'] != client_id
      raise Refused, "aud #{payload['aud'].inspect} is not this app's client ID"
    end
    payload
  end
end

if $PROGRAM_NAME == __FILE__
  secret = ENV['ZOOM_CLIENT_SECRET']
  if ARGV.length != 1 || secret.nil? || secret.empty?
    warn 'usage: ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] ruby zoom_app_context.rb TOKEN'
    exit 2
  end
  begin
    puts JSON.generate(ZoomAppContext.decrypt(ARGV[0], secret, ENV['ZOOM_CLIENT_ID']))
  rescue ZoomAppContext::Refused => e
    warn "refused: #{e.message}"
    exit 1
  end
end

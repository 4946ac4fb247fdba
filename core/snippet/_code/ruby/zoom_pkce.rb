# PKCE for Zoom OAuth: a code verifier and its S256 challenge (RFC 7636).
# Needs: Ruby 3.0 or later (no base64 gem: Array#pack('m0') encodes, as Ruby 3.4 unbundled the gem).
# Run:   ruby zoom_pkce.rb [VERIFIER]
# Prints one JSON object; a VERIFIER that breaks RFC 7636 section 4.1 gets one line on stderr and exit 2.
require 'digest'
require 'json'
require 'securerandom'

module ZoomPkce
  VERIFIER_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'.bytes.freeze

  # Raises ArgumentError unless verifier is 43-128 unreserved characters (RFC 7636 section 4.1).
  def self.check_verifier(verifier)
    b = verifier.to_s.b
    unless b.bytesize.between?(43, 128)
      raise ArgumentError, "verifier is #{b.bytesize} bytes; RFC 7636 section 4.1 wants 43 to 128 characters"
    end

    b.each_byte.with_index do |c, i|
      next if VERIFIER_CHARS.include?(c)

      raise ArgumentError, format('verifier: byte 0x%02X at offset %d is not one of A-Z a-z 0-9 - . _ ~ (RFC 7636 section 4.1)', c, i)
    end
  end

  def self.base64url(bytes) = [bytes].pack('m0').tr('+/', '-_').delete('=')

  # 43 characters from a CSPRNG: 32 random bytes, base64url without padding.
  def self.new_verifier = base64url(SecureRandom.random_bytes(32))

  # RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it.
  def self.s256_challenge(verifier)
    check_verifier(verifier)
    base64url(Digest::SHA256.digest(verifier))
  end

  # Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest.
  def self.zoom_legacy_challenge(verifier)
    check_verifier(verifier)
    [Digest::SHA256.hexdigest(verifier)].pack('m0')
  end
end

if $PROGRAM_NAME == __FILE__
  v = ARGV[0] || ZoomPkce.new_verifier
  begin
    ZoomPkce.check_verifier(v)
  rescue ArgumentError => e
    warn "refused: #{e.message}"
    exit 2
  end
  puts JSON.generate(code_verifier: v, code_challenge: ZoomPkce.s256_challenge(v), code_challenge_method: 'S256',
                     zoom_legacy_challenge: ZoomPkce.zoom_legacy_challenge(v))
end

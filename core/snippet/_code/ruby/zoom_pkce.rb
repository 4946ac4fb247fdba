# PKCE for Zoom OAuth: a code verifier and its S256 challenge (RFC 7636).
# Run: ruby zoom_pkce.rb [VERIFIER]
require 'base64'
require 'digest'
require 'json'
require 'securerandom'

module ZoomPkce
  # 43 characters from a CSPRNG, within RFC 7636 section 4.1's 43-128 unreserved characters.
  def self.new_verifier = Base64.urlsafe_encode64(SecureRandom.random_bytes(32), padding: false)

  # RFC 7636 S256: BASE64URL-NOPAD(SHA-256(ASCII(verifier))). Send code_challenge_method=S256 with it.
  def self.s256_challenge(verifier) = Base64.urlsafe_encode64(Digest::SHA256.digest(verifier), padding: false)

  # Only for a server that still expects Zoom's old documented variant: base64 of the lowercase hex digest.
  def self.zoom_legacy_challenge(verifier) = Base64.strict_encode64(Digest::SHA256.hexdigest(verifier))
end

if $PROGRAM_NAME == __FILE__
  v = ARGV[0] || ZoomPkce.new_verifier
  puts JSON.generate(code_verifier: v, code_challenge: ZoomPkce.s256_challenge(v), code_challenge_method: 'S256',
                     zoom_legacy_challenge: ZoomPkce.zoom_legacy_challenge(v))
end

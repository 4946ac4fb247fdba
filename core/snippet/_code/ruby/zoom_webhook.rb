# Verify a Zoom webhook delivery and answer the endpoint.url_validation handshake.
#
# Run: ZOOM_WEBHOOK_SECRET_TOKEN=... ruby zoom_webhook.rb [TIMESTAMP [SIGNATURE]] < body.json
# Needs: Ruby 3.0+ (the openssl and json standard gems).
#
# In Rails or Sinatra, pass the RAW body, never params.to_json or JSON.generate(JSON.parse(...)):
#   event = ZoomWebhook.verify(request.raw_post, request.headers['x-zm-request-timestamp'],
#                              request.headers['x-zm-signature'], ENV['ZOOM_WEBHOOK_SECRET_TOKEN'])
#   (Sinatra/Rack: request.body.read, request.env['HTTP_X_ZM_SIGNATURE'])
require 'json'
require 'openssl'

module ZoomWebhook
  class Refused < StandardError; end

  # Returns the event (a Hash) once its x-zm-signature verifies; raises Refused.
  def self.verify(raw_body, timestamp, signature, secret_token)
    raise Refused, 'the secret token is empty: refusing every delivery' if secret_token.nil? || secret_token.empty?
    if timestamp.nil? || timestamp.empty? || signature.nil? || signature.empty?
      raise Refused, 'missing x-zm-request-timestamp or x-zm-signature header'
    end

    # Zoom signs "v0:" + the timestamp header (seconds) + ":" + the raw body, and sends "v0=" + lowercase hex.
    message = "v0:#{timestamp}:".b + raw_body.b
    expected = 'v0=' + OpenSSL::HMAC.hexdigest('SHA256', secret_token, message)
    # secure_compare hashes both sides first, so it is constant-time whatever the lengths.
    raise Refused, 'signature mismatch' unless OpenSSL.secure_compare(expected, signature)

    event = begin
      JSON.parse(raw_body.dup.force_encoding(Encoding::UTF_8))
    rescue JSON::ParserError
      raise Refused, 'the body is not JSON'
    end
    raise Refused, 'the body is not a JSON object' unless event.is_a?(Hash)

    event
  end

  # The answer to a VERIFIED endpoint.url_validation event: send it as JSON with HTTP 200.
  def self.url_validation_response(event, secret_token)
    plain_token = event.dig('payload', 'plainToken')
    raise Refused, 'url_validation without payload.plainToken' unless plain_token.is_a?(String)

    { 'plainToken' => plain_token, 'encryptedToken' => OpenSSL::HMAC.hexdigest('SHA256', secret_token, plain_token) }
  end
end

if $PROGRAM_NAME == __FILE__
  secret = ENV['ZOOM_WEBHOOK_SECRET_TOKEN']
  begin
    event = ZoomWebhook.verify($stdin.binmode.read, ARGV[0], ARGV[1], secret)
    if event['event'] == 'endpoint.url_validation'
      puts JSON.generate(ZoomWebhook.url_validation_response(event, secret))
    else
      puts "verified #{event['event']}"
    end
  rescue ZoomWebhook::Refused => e
    warn "refused: #{e.message}"
    exit 1
  end
end

# Decrypt and check a Zoom Apps app context (the x-zoom-app-context header, or
# zoomSdk.getAppContext() sent by your front end).
#
# Needs: Ruby 3.0 or later with its bundled openssl and json (no base64 gem: Ruby 3.4 unbundled it).
# Run:   ZOOM_CLIENT_SECRET=... [ZOOM_CLIENT_ID=...] ruby zoom_app_context.rb TOKEN
#
# In Sinatra (Rails: request.headers['X-Zoom-App-Context'] in a before_action, same rescue):
#
#   get '/app' do
#     ctx = ZoomAppContext.decrypt(request.env['HTTP_X_ZOOM_APP_CONTEXT'], ENV.fetch('ZOOM_CLIENT_SECRET'),
#                                  ENV['ZOOM_CLIENT_ID'])
#     content_type :json
#     JSON.generate(uid: ctx['uid'])
#   rescue ZoomAppContext::Refused => e
#     halt e.http_status, { 'Content-Type' => 'application/json' }, JSON.generate(verdict: e.verdict, reason: e.reason)
#   end
require 'json'
require 'openssl'

module ZoomAppContext
  MAX_TOKEN_LEN = 8192 # far above a real context (~500 bytes); checked first, so all else is linear
  IV_SIZE = 12 # Zoom seals with a 12-byte IV
  TAG_SIZE = 16 # AES-GCM's full 128-bit tag
  MAX_DEPTH = 64 # JSON nesting accepted in the payload
  SECONDS_BELOW = 1e11 # an exp or ts below this is epoch seconds, not milliseconds
  NUMBERS_BELOW = 1e15
  B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.bytes.freeze
  JSON_SPACE = [0x20, 0x09, 0x0a, 0x0d].freeze

  # The one exception decrypt raises for a token it refuses. verdict is one of no_token, malformed,
  # tag_mismatch, bad_payload, wrong_aud, expired; reason is the code zoomdbg uses for the same
  # refusal; message says why in words, never with the secret.
  class Refused < StandardError
    attr_reader :verdict, :reason

    def initialize(verdict, reason, detail)
      super("#{verdict}/#{reason}: #{detail}")
      @verdict = verdict
      @reason = reason
    end

    # 400 for a token that is not an app context at all, 401 for one not valid here and now.
    def http_status = verdict == 'malformed' ? 400 : 401
  end

  # Returns the payload of a Zoom app context as a Hash, or raises Refused. header is the value as
  # Rack hands it over: a String (any encoding), or nil when absent. client_id, when given, must
  # equal the payload's aud. now_ms is the current time in epoch milliseconds. An empty
  # client_secret is the server's fault, not the token's: it raises ArgumentError.
  def self.decrypt(header, client_secret, client_id = nil, now_ms = nil)
    raise ArgumentError, 'client secret is empty: set ZOOM_CLIENT_SECRET' if client_secret.nil? || client_secret.empty?

    iv, aad, ciphertext, tag = split_layout(decode_token(header))
    # Zoom's key is SHA-256 of the secret, used as is: not HKDF, not PBKDF2.
    c = OpenSSL::Cipher.new('aes-256-gcm').decrypt
    c.key = OpenSSL::Digest::SHA256.digest(client_secret)
    c.iv = iv
    c.auth_tag = tag
    c.auth_data = aad
    begin
      plaintext = (ciphertext.empty? ? ''.b : c.update(ciphertext)) + c.final # update refuses ''
    rescue OpenSSL::Cipher::CipherError
      raise Refused.new('tag_mismatch', 'tag', 'tag mismatch: wrong client secret, or the token was altered')
    end
    payload = parse_payload(plaintext)
    check_claims(payload, client_id, now_ms || (Time.now.to_r * 1000).floor)
    payload
  end

  def self.malformed(reason, detail) = Refused.new('malformed', reason, detail)
  def self.bad_payload(reason, detail) = Refused.new('bad_payload', reason, detail)

  def self.decode_token(header)
    raise Refused.new('no_token', 'missing', 'no app context: the header is absent or empty') if header.nil? || header.empty?

    h = header.b # its bytes, whatever encoding Rack gave it
    raise malformed('too_long', "token is #{h.bytesize} bytes, more than #{MAX_TOKEN_LEN}") if h.bytesize > MAX_TOKEN_LEN

    stop = h.bytesize # h[stop..] is the trailing '=' padding, counted with a loop
    stop -= 1 while stop.positive? && h.getbyte(stop - 1) == 0x3d
    std = bad = nil
    stop.times do |i|
      c = h.getbyte(i)
      if c == 0x2b || c == 0x2f
        std ||= i
      elsif !B64URL.include?(c)
        bad ||= i
      end
    end
    raise malformed('std_base64', "'#{h[std]}' at offset #{std}: standard base64, Zoom sends base64url ('-' and '_')") if std
    raise malformed('bad_char', format('byte 0x%02x at offset %d is not base64url', h.getbyte(bad), bad)) if bad
    raise malformed('bad_padding', "#{h.bytesize - stop} '=' at the end: at most 2") if h.bytesize - stop > 2
    raise malformed('bad_length', "#{stop} characters is not a base64url length") if stop % 4 == 1

    h[0, stop].tr('-_', '+/').unpack1('m') # only base64url characters reach the decoder
  end

  # Reads ivLen u8 | iv | aadLen u16 LE | aad | cipherLen u32 LE | ciphertext | tag.
  def self.split_layout(b)
    raise malformed('truncated', 'no bytes: the token ends before the IV length') if b.empty?
    raise malformed('iv_length', "IV length #{b.getbyte(0)}, Zoom uses #{IV_SIZE}") if b.getbyte(0) != IV_SIZE

    off = 1 + IV_SIZE
    raise malformed('truncated', "the token ends at byte #{b.bytesize}, before the AAD length") if b.bytesize < off + 2

    iv = b.byteslice(1, IV_SIZE)
    aad_len = b.byteslice(off, 2).unpack1('v')
    off += 2
    if b.bytesize - off < aad_len + 4
      raise malformed('truncated', "the token ends at byte #{b.bytesize}, before the AAD and ciphertext length")
    end
    aad = b.byteslice(off, aad_len)
    off += aad_len
    cipher_len = b.byteslice(off, 4).unpack1('V')
    off += 4
    rest = b.bytesize - off
    raise malformed('truncated', "ciphertext length #{cipher_len}, only #{rest} bytes remain") if rest < cipher_len
    raise malformed('short_tag', "tag is #{rest - cipher_len} bytes, AES-GCM needs #{TAG_SIZE}") if rest < cipher_len + TAG_SIZE
    raise malformed('trailing_bytes', "#{rest - cipher_len - TAG_SIZE} bytes after the tag") if rest > cipher_len + TAG_SIZE

    [iv, aad, b.byteslice(off, cipher_len), b.byteslice(off + cipher_len, TAG_SIZE)]
  end

  def self.parse_payload(plaintext)
    text = plaintext.dup.force_encoding(Encoding::UTF_8)
    raise bad_payload('not_utf8', 'payload is not UTF-8') unless text.valid_encoding?
    raise bad_payload('bom', 'payload starts with a UTF-8 byte order mark') if text.start_with?("\u{feff}")

    deepest, stop = StrictJSON.nesting(plaintext)
    raise bad_payload('too_deep', "payload nests deeper than #{MAX_DEPTH}") if deepest > MAX_DEPTH

    if stop.positive? && !StrictJSON.blank?(plaintext, stop)
      raise bad_payload('not_json', 'payload is not JSON') unless StrictJSON.valid?(plaintext.byteslice(0, stop))

      raise bad_payload('trailing_data', 'payload has data after its JSON object')
    end
    # JSON.parse takes comments and unknown escapes; StrictJSON holds it to RFC 8259 first.
    raise bad_payload('not_json', 'payload is not JSON') unless StrictJSON.valid?(plaintext)

    payload = JSON.parse(text)
    raise bad_payload('not_object', 'payload is JSON but not an object') unless payload.is_a?(Hash)

    payload
  end

  # exp or ts: a finite JSON number of epoch milliseconds.
  def self.claim_time(name, v)
    raise bad_payload("#{name}_type", "#{name} is not a number") unless v.is_a?(Numeric)
    unless v.finite? && v.positive? && v < NUMBERS_BELOW
      raise bad_payload("#{name}_type", "#{name} #{v} is not epoch milliseconds")
    end
    raise bad_payload("#{name}_seconds", "#{name} #{v} is in seconds; Zoom sends milliseconds") if v < SECONDS_BELOW

    v
  end

  def self.check_claims(payload, client_id, now_ms)
    raise bad_payload('exp_missing', 'payload has no exp') unless payload.key?('exp')

    exp = claim_time('exp', payload['exp'])
    claim_time('ts', payload['ts']) if payload.key?('ts')
    if client_id && !client_id.empty? && !(payload['aud'].is_a?(String) && payload['aud'] == client_id)
      raise Refused.new('wrong_aud', 'aud', "aud is not this app's client ID")
    end
    raise Refused.new('expired', 'expired', "expired #{(now_ms - exp).to_i} ms ago (a context lives about 2 minutes)") if now_ms >= exp
  end

  # RFC 8259 JSON, checked byte by byte in linear time (the payload's nesting is capped before).
  module StrictJSON
    def self.blank?(s, from)
      (from...s.bytesize).all? { |i| JSON_SPACE.include?(s.getbyte(i)) }
    end

    # The deepest bracket nesting outside strings, and, when the text starts with '{', the index
    # just past the bracket that closes it (else 0).
    def self.nesting(s)
      lead = 0
      lead += 1 while lead < s.bytesize && JSON_SPACE.include?(s.getbyte(lead))
      is_object = s.getbyte(lead) == 0x7b
      deepest = depth = stop = 0
      in_string = escaped = false
      s.each_byte.with_index do |c, i|
        if in_string
          if escaped then escaped = false
          elsif c == 0x5c then escaped = true
          elsif c == 0x22 then in_string = false
          end
        elsif c == 0x22 then in_string = true
        elsif c == 0x7b || c == 0x5b
          depth += 1
          deepest = depth if depth > deepest
        elsif c == 0x7d || c == 0x5d
          depth -= 1
          stop = i + 1 if depth.zero? && is_object && stop.zero?
        end
      end
      [deepest, stop]
    end

    def self.valid?(s)
      p = Parser.new(s)
      p.value && p.space && p.at_end?
    end

    # A recursive-descent recogniser: true when the text at the cursor is the part asked for.
    class Parser
      def initialize(s)
        @s = s
        @i = 0
      end

      def at_end? = @i == @s.bytesize
      def peek = @s.getbyte(@i)

      def space
        @i += 1 while JSON_SPACE.include?(peek)
        true
      end

      def eat(c)
        return false unless peek == c

        @i += 1
      end

      def literal(word)
        return false unless @s.byteslice(@i, word.bytesize) == word

        @i += word.bytesize
      end

      def value
        space
        case peek
        when 0x7b then object
        when 0x5b then array
        when 0x22 then string
        when 0x74 then literal('true')
        when 0x66 then literal('false')
        when 0x6e then literal('null')
        else number
        end
      end

      def object
        @i += 1
        space
        return true if eat(0x7d)

        loop do
          return false unless space && string && space && eat(0x3a) && value && space
          return true if eat(0x7d)
          return false unless eat(0x2c)
        end
      end

      def array
        @i += 1
        space
        return true if eat(0x5d)

        loop do
          return false unless value && space
          return true if eat(0x5d)
          return false unless eat(0x2c)
        end
      end

      def string
        return false unless eat(0x22)

        loop do
          c = peek
          return false if c.nil? || c < 0x20
          @i += 1
          return true if c == 0x22
          next unless c == 0x5c

          e = peek
          @i += 1
          if e == 0x75
            4.times { return false unless hex?(peek); @i += 1 }
          elsif !'"\\/bfnrt'.bytes.include?(e)
            return false
          end
        end
      end

      def hex?(c) = c && ((0x30..0x39).cover?(c) || (0x41..0x46).cover?(c) || (0x61..0x66).cover?(c))
      def digit?(c) = c && (0x30..0x39).cover?(c)

      def digits
        start = @i
        @i += 1 while digit?(peek)
        @i > start
      end

      def number
        eat(0x2d)
        if eat(0x30)
          return false if digit?(peek) # no leading zeros
        else
          return false unless digits
        end
        return false if eat(0x2e) && !digits
        if peek == 0x65 || peek == 0x45
          @i += 1
          eat(0x2b) || eat(0x2d)
          return false unless digits
        end
        true
      end
    end
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

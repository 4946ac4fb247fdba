# The Sinatra app core/snippet's TestFrameworks runs on Rack's WEBrick handler: the route is the
# one the Ruby program's header shows, pasted where EXAMPLE stands.
require 'json'
require 'rack'
require 'sinatra/base'
require 'webrick'
require_relative 'zoom_app_context'

class App < Sinatra::Base
  set :show_exceptions, false
  # EXAMPLE
end

Rack::Handler::WEBrick.run(App, Host: '127.0.0.1', Port: 0, Logger: WEBrick::Log.new(nil, 0), AccessLog: []) do |server|
  puts server.listeners[0].addr[1]
  $stdout.flush
end

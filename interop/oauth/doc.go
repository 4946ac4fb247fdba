// Package oauth holds the tests that run zoomdbg's OAuth client against independent servers:
// ory/fosite here, in a module of its own so that the product's go.mod lists only what the
// product needs.
package oauth

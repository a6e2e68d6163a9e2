package channels

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// AtMostOnce returns a copy of client (a default client when nil) whose
// requests are never sent twice by accident, and whose failures say whether
// the request could have reached the provider:
//
//   - a failure before the request was fully written (no connection, DNS,
//     TLS, a refused or reset dial) is returned as it is: nothing left, so
//     the dispatcher may retry it;
//   - a failure after it was written (reset, EOF, a timeout while waiting
//     for the answer, a body cut off midway) is wrapped with Unknown: the
//     provider may have the message, so it is never resent without a person.
//
// When the request was written is learned from net/http/httptrace's
// WroteRequest, not from error strings. The standard transport may replay a
// request on a reused connection that breaks; it does so only for requests
// it considers idempotent, so a non-idempotent send must not carry an
// Idempotency-Key header with a replayable body (see NoReplay).
func AtMostOnce(client *http.Client) *http.Client {
	c := &http.Client{}
	if client != nil {
		*c = *client
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	if _, ok := base.(atMostOnce); !ok {
		c.Transport = atMostOnce{base}
	}
	return c
}

type atMostOnce struct{ base http.RoundTripper }

func (t atMostOnce) RoundTrip(req *http.Request) (*http.Response, error) {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			wrote.Store(true)
		}
	}}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		if wrote.Load() {
			return nil, Unknown(fmt.Errorf("%w (the request was sent and its answer lost)", err))
		}
		return nil, err
	}
	resp.Body = answerBody{resp.Body}
	return resp, nil
}

// answerBody marks a read error of the answer (the connection dropped after
// the headers) as Unknown: the provider received the request.
type answerBody struct{ io.ReadCloser }

func (b answerBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = Unknown(fmt.Errorf("%w (the answer was cut off)", err))
	}
	return n, err
}

// NoReplay makes req non-replayable for the standard transport even when it
// carries an Idempotency-Key header: without GetBody the transport cannot
// rewind the body, so it never sends the request a second time by itself.
func NoReplay(req *http.Request) *http.Request {
	req.GetBody = nil
	return req
}

// IsUnknown reports whether err says a request may have reached the
// provider without an answer (see Unknown).
func IsUnknown(err error) bool {
	var u interface{ OutcomeUnknown() bool }
	return errors.As(err, &u) && u.OutcomeUnknown()
}

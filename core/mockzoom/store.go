package mockzoom

import "time"

// MaxLive bounds how many codes, access tokens and refresh tokens the mock keeps at once. Past it
// the oldest go first, so that memory stays flat under any load: a load test making thousands of
// flows a second would otherwise keep every code and token it was ever given.
const MaxLive = 10_000

// store is a map whose entries all live the same lifetime, so that they expire in the order they
// were put in: a queue of keys in that order finds the expired ones at its head. The queue holds
// every key of the map (and keys deleted early, until they reach the head), and both are bounded
// by max.
type store[V any] struct {
	m        map[string]V
	queue    []queued
	head     int
	lifetime time.Duration
	max      int
}

type queued struct {
	key     string
	expires time.Time
}

func newStore[V any](lifetime time.Duration, max int) *store[V] {
	return &store[V]{m: map[string]V{}, lifetime: lifetime, max: max}
}

// put adds key, first dropping what has expired by now and, at the bound, the oldest.
func (s *store[V]) put(key string, v V, now time.Time) {
	s.sweep(now)
	for len(s.queue)-s.head >= s.max {
		s.pop()
	}
	s.m[key] = v
	s.queue = append(s.queue, queued{key, now.Add(s.lifetime)})
}

// get returns key's value while it lives.
func (s *store[V]) get(key string, now time.Time) (V, bool) {
	s.sweep(now)
	v, ok := s.m[key]
	return v, ok
}

func (s *store[V]) del(key string) { delete(s.m, key) }

func (s *store[V]) len() int { return len(s.m) }

func (s *store[V]) sweep(now time.Time) {
	for s.head < len(s.queue) && !now.Before(s.queue[s.head].expires) {
		s.pop()
	}
}

func (s *store[V]) pop() {
	delete(s.m, s.queue[s.head].key)
	s.queue[s.head] = queued{}
	s.head++
	if s.head > 1024 && s.head*2 > len(s.queue) { // reuse the room the head left behind
		n := copy(s.queue, s.queue[s.head:])
		s.queue, s.head = s.queue[:n], 0
	}
}

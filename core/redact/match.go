package redact

// The matcher is an Aho-Corasick automaton (Aho and Corasick, "Efficient string matching", CACM
// 18(6), 1975): one pass over the text finds every occurrence of every pattern, overlapping ones
// included, in time linear in the text plus the patterns. The standard library searches for one
// pattern at a time, and replacing form after form rescans the text once per form (a Zoom secret
// has ~60) and misses an occurrence that overlaps one already replaced (a secret that repeats
// itself); the Go libraries of the algorithm report leftmost non-overlapping matches, where
// masking needs the union of all of them. So it is written here, and tested against a brute
// force search.

type edge struct {
	b  byte
	to int32
}

type node struct {
	next []edge // the trie's edges; few per node, so a slice scanned in order
	fail int32  // the node of the longest proper suffix that is a trie path
	// longest is the length of the longest pattern that ends here (this node's own, or one
	// reached through fail), 0 for none; pat is its number.
	longest int32
	pat     int32
}

type matcher struct {
	nodes []node
	root  [256]int32 // the root's transitions, complete: a miss there stays at the root
	// testSteps, when not nil, counts the transitions taken: a test's measure of the work done.
	testSteps *int
}

// span is a stretch [start, end) of the text to mask.
type span struct{ start, end int }

func newMatcher(pats [][]byte) *matcher {
	m := &matcher{nodes: []node{{}}}
	for i, p := range pats {
		n := int32(0)
		for _, c := range p {
			n = m.child(n, c, true)
		}
		if l := int32(len(p)); l > m.nodes[n].longest {
			m.nodes[n].longest, m.nodes[n].pat = l, int32(i)
		}
	}
	// Breadth first, each node's fail is found from its parent's, which is settled.
	queue := make([]int32, 0, len(m.nodes))
	for _, e := range m.nodes[0].next {
		m.root[e.b] = e.to
		queue = append(queue, e.to)
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, e := range m.nodes[n].next {
			f := m.step(m.nodes[n].fail, e.b)
			m.nodes[e.to].fail = f
			if m.nodes[e.to].longest < m.nodes[f].longest {
				m.nodes[e.to].longest, m.nodes[e.to].pat = m.nodes[f].longest, m.nodes[f].pat
			}
			queue = append(queue, e.to)
		}
	}
	return m
}

// child is n's child on c, made if add and missing; -1 if missing and not add.
func (m *matcher) child(n int32, c byte, add bool) int32 {
	for _, e := range m.nodes[n].next {
		if e.b == c {
			return e.to
		}
	}
	if !add {
		return -1
	}
	m.nodes = append(m.nodes, node{})
	to := int32(len(m.nodes) - 1)
	m.nodes[n].next = append(m.nodes[n].next, edge{c, to})
	return to
}

// step is the node after reading c in node n.
func (m *matcher) step(n int32, c byte) int32 {
	for n != 0 {
		if to := m.child(n, c, false); to >= 0 {
			return to
		}
		n = m.nodes[n].fail
	}
	return m.root[c]
}

// spans finds every occurrence of every pattern in b and returns the stretches they cover,
// merged where they overlap, in order, with the patterns found. At each position only the
// longest pattern ending there matters: a shorter one ending there lies inside it.
func (m *matcher) spans(b []byte) ([]span, []int32) {
	var (
		out   []span
		found []int32
		n     int32
		steps int
	)
	for i, c := range b {
		for n != 0 {
			if to := m.child(n, c, false); to >= 0 {
				n = to
				break
			}
			n = m.nodes[n].fail
			steps++
		}
		if n == 0 {
			n = m.root[c]
		}
		steps++
		nd := &m.nodes[n]
		if nd.longest == 0 {
			continue
		}
		found = appendPat(found, nd.pat)
		s := span{i + 1 - int(nd.longest), i + 1}
		// Spans arrive in order of their ends; a new one swallows those it overlaps. Each span
		// is pushed and popped once, so this is linear too.
		for len(out) > 0 && out[len(out)-1].end > s.start {
			s.start = min(s.start, out[len(out)-1].start)
			out = out[:len(out)-1]
		}
		out = append(out, s)
	}
	if m.testSteps != nil {
		*m.testSteps += steps
	}
	return out, found
}

func appendPat(s []int32, p int32) []int32 {
	for _, x := range s {
		if x == p {
			return s
		}
	}
	return append(s, p)
}

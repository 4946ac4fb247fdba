package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// eventBuilders make bodies shaped as Zoom's event reference documents each event, keys in the
// order Zoom sends them. IDs are made up and marked as zoomdbg's.
var eventBuilders = map[string]func(now time.Time, token string) string{
	EventURLValidation: func(now time.Time, token string) string {
		// Zoom's docs, "Validate your webhook endpoint": payload first, event last.
		return fmt.Sprintf(`{"payload":{"plainToken":%q},"event_ts":%d,"event":"endpoint.url_validation"}`, token, now.UnixMilli())
	},
	"meeting.started": func(now time.Time, _ string) string {
		return fmt.Sprintf(`{"event":"meeting.started","payload":{"account_id":"zoomdbgAcct0000000001","object":{"id":"85012345678",`+
			`"uuid":"zoomdbgMeetingUUID0000==","host_id":"zoomdbgHost00000000001","topic":"zoomdbg test meeting","type":2,`+
			`"start_time":%q,"timezone":"America/Los_Angeles","duration":60}},"event_ts":%d}`, iso(now), now.UnixMilli())
	},
	"meeting.ended": func(now time.Time, _ string) string {
		return fmt.Sprintf(`{"event":"meeting.ended","payload":{"account_id":"zoomdbgAcct0000000001","object":{"id":"85012345678",`+
			`"uuid":"zoomdbgMeetingUUID0000==","host_id":"zoomdbgHost00000000001","topic":"zoomdbg test meeting","type":2,`+
			`"start_time":%q,"end_time":%q,"timezone":"America/Los_Angeles","duration":60}},"event_ts":%d}`,
			iso(now.Add(-time.Hour)), iso(now), now.UnixMilli())
	},
	"meeting.participant_joined": func(now time.Time, _ string) string {
		return fmt.Sprintf(`{"event":"meeting.participant_joined","payload":{"account_id":"zoomdbgAcct0000000001","object":{"id":"85012345678",`+
			`"uuid":"zoomdbgMeetingUUID0000==","host_id":"zoomdbgHost00000000001","topic":"zoomdbg test meeting","type":2,`+
			`"start_time":%q,"timezone":"America/Los_Angeles","duration":60,"participant":{"user_id":"16778240","user_name":"Jill Chill",`+
			`"id":"zoomdbgUser00000000001","participant_uuid":"zoomdbgPartUUID000001","join_time":%q,"email":"jchill@example.com"}}},"event_ts":%d}`,
			iso(now.Add(-time.Minute)), iso(now), now.UnixMilli())
	},
	"app_deauthorized": func(now time.Time, _ string) string {
		return fmt.Sprintf(`{"event":"app_deauthorized","payload":{"account_id":"zoomdbgAcct0000000001","user_id":"zoomdbgUser00000000001",`+
			`"signature":"zoomdbg0000000000000000000000000000000000000000000000000000000000","deauthorization_time":%q,`+
			`"client_id":"zoomdbgClientId000001"},"event_ts":%d}`, iso(now), now.UnixMilli())
	},
	"recording.completed": func(now time.Time, _ string) string {
		return fmt.Sprintf(`{"event":"recording.completed","payload":{"account_id":"zoomdbgAcct0000000001","object":{"id":"85012345678",`+
			`"uuid":"zoomdbgMeetingUUID0000==","host_id":"zoomdbgHost00000000001","topic":"zoomdbg test meeting","type":2,`+
			`"start_time":%q,"duration":60,"total_size":1048576,"recording_count":1,"recording_files":[{"id":"zoomdbgFile000000001",`+
			`"recording_start":%q,"recording_end":%q,"file_type":"MP4","file_size":1048576,"recording_type":"shared_screen_with_speaker_view",`+
			`"status":"completed"}]}},"event_ts":%d}`, iso(now.Add(-time.Hour)), iso(now.Add(-time.Hour)), iso(now), now.UnixMilli())
	},
}

func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// EventNames lists the events Event can build.
func EventNames() []string {
	ns := make([]string, 0, len(eventBuilders))
	for n := range eventBuilders {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// Event builds a realistic body for event name at now. A url_validation event gets a random
// plainToken, shaped as Zoom's (22 base64url characters), read from rand (crypto/rand when nil).
func Event(name string, now time.Time, r io.Reader) ([]byte, error) {
	b, ok := eventBuilders[name]
	if !ok {
		return nil, fmt.Errorf("no event %q: want one of %s", name, strings.Join(EventNames(), ", "))
	}
	if r == nil {
		r = rand.Reader
	}
	tok, err := PlainToken(r)
	if err != nil {
		return nil, err
	}
	return []byte(b(now, tok)), nil
}

// PlainToken is a random plainToken as Zoom makes them: 16 bytes in base64url.
func PlainToken(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("random plainToken: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// Timestamp is the x-zm-request-timestamp value for t.
func Timestamp(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

package cms

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/govlint/govlint/internal/site"
)

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestClassifyError(t *testing.T) {
	dial := func(errno syscall.Errno) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
	}
	cases := []struct {
		name       string
		err        error
		want       site.Outcome
		reasonPart string
	}{
		{"nil", nil, site.OutcomeOK, ""},
		{"DNS not found", &net.DNSError{Err: "no such host", Name: "x.gov.cn", IsNotFound: true}, site.OutcomeDead, "域名不存在"},
		{"DNS not found wrapped in url.Error", &url.Error{Op: "Get", URL: "http://x.gov.cn", Err: &net.DNSError{Err: "no such host", Name: "x.gov.cn"}}, site.OutcomeDead, "no such host"},
		{"no such host as plain text", errors.New("dial tcp: lookup x.gov.cn: no such host"), site.OutcomeDead, "DNS"},
		{"DNS timeout", &net.DNSError{Err: "i/o timeout", Name: "x", IsTimeout: true}, site.OutcomeTimeout, "超时"},
		{"DNS server failure", &net.DNSError{Err: "server misbehaving", Name: "x"}, site.OutcomeError, "DNS"},
		{"context deadline", fmt.Errorf("get: %w", context.DeadlineExceeded), site.OutcomeTimeout, "超时"},
		{"net.Error timeout", &url.Error{Op: "Get", URL: "http://x", Err: timeoutErr{}}, site.OutcomeTimeout, "timeout"},
		{"os deadline", os.ErrDeadlineExceeded, site.OutcomeTimeout, "超时"},
		{"connection refused", dial(syscall.ECONNREFUSED), site.OutcomeError, "连接被拒绝"},
		{"connection reset", &url.Error{Op: "Get", URL: "http://x", Err: dial(syscall.ECONNRESET)}, site.OutcomeError, "连接被重置"},
		{"reset as plain text", errors.New("read tcp: connection reset by peer"), site.OutcomeError, "连接被重置"},
		{"tls", errors.New("tls: failed to verify certificate: x509: certificate has expired"), site.OutcomeError, "TLS"},
		{"canceled", context.Canceled, site.OutcomeError, "取消"},
		{"anything else", errors.New("stopped after 10 redirects"), site.OutcomeError, "请求失败"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, reason := ClassifyError(tc.err)
			assert.Equal(t, tc.want, got)
			assert.Contains(t, reason, tc.reasonPart)
		})
	}
}

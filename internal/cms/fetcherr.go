package cms

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/govlint/govlint/internal/site"
)

// ClassifyError decides the outcome of a fetch that got no HTTP answer;
// reason explains it in words (Chinese first).
func ClassifyError(err error) (outcome site.Outcome, reason string) {
	if err == nil {
		return site.OutcomeOK, ""
	}
	msg := err.Error()
	low := strings.ToLower(msg)
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		switch {
		case dnsErr.IsNotFound || strings.Contains(low, "no such host"):
			return site.OutcomeDead, "DNS 解析失败：域名不存在 (no such host): " + msg
		case dnsErr.IsTimeout:
			return site.OutcomeTimeout, "DNS 解析超时 (DNS timeout): " + msg
		}
		return site.OutcomeError, "DNS 解析出错 (DNS error): " + msg
	}
	if strings.Contains(low, "no such host") {
		return site.OutcomeDead, "DNS 解析失败：域名不存在 (no such host): " + msg
	}
	if isTimeout(err, low) {
		return site.OutcomeTimeout, "请求超时 (timeout): " + msg
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(low, "connection refused"):
		return site.OutcomeError, "连接被拒绝 (connection refused): " + msg
	case errors.Is(err, syscall.ECONNRESET) || strings.Contains(low, "connection reset"):
		return site.OutcomeError, "连接被重置 (connection reset): " + msg
	case strings.Contains(low, "x509:") || strings.Contains(low, "tls:"):
		return site.OutcomeError, "TLS/证书错误 (TLS error): " + msg
	case errors.Is(err, context.Canceled):
		return site.OutcomeError, "请求被取消 (canceled): " + msg
	}
	return site.OutcomeError, "请求失败 (fetch error): " + msg
}

func isTimeout(err error, low string) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return strings.Contains(low, "timeout") || strings.Contains(low, "deadline exceeded")
}

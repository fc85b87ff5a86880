package audit

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// extraIPv6 is the snapshot.Info.Extra key of the IPv6 probe's result.
const extraIPv6 = "ipv6"

// ipv6Timeout is 19号's "15 秒打不开" threshold, used for the IPv6 fetch.
const ipv6Timeout = 15 * time.Second

// LookupIPv6 finds a host's AAAA addresses. The default asks the system
// resolver; tests give a function that answers for loopback names only.
type LookupIPv6 func(ctx context.Context, host string) ([]net.IP, error)

func systemLookupIPv6(ctx context.Context, host string) ([]net.IP, error) {
	return net.DefaultResolver.LookupIP(ctx, "ip6", host)
}

// probeIPv6 asks whether the start page's host has an AAAA record and
// answers over IPv6 (IPv6 规模部署行动计划; 19号 功能设计 "已完成IPv6改造").
// A start host that is an IPv4 address cannot be judged: nil.
func probeIPv6(ctx context.Context, start *url.URL, lookup LookupIPv6, userAgent string) *site.IPv6Probe {
	host := start.Hostname()
	res := &site.IPv6Probe{Host: host}
	var addrs []net.IP
	if ip := net.ParseIP(host); ip != nil {
		if ip.To4() != nil {
			return nil
		}
		addrs = []net.IP{ip}
	} else {
		lctx, cancel := context.WithTimeout(ctx, ipv6Timeout)
		ips, err := lookup(lctx, host)
		cancel()
		for _, ip := range ips {
			if ip.To4() == nil && ip.To16() != nil {
				addrs = append(addrs, ip)
			}
		}
		if len(addrs) == 0 {
			if err != nil {
				res.Error = err.Error()
			}
			return res
		}
	}
	for _, a := range addrs {
		res.AAAA = append(res.AAAA, a.String())
	}
	port := start.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[start.Scheme]
	}
	target := net.JoinHostPort(addrs[0].String(), port)
	tr := &http.Transport{
		// Every connection goes to the IPv6 address; the URL (Host header,
		// TLS server name) stays the site's.
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp6", target)
		},
		TLSHandshakeTimeout: ipv6Timeout,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: ipv6Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, start.String(), nil)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := client.Do(req)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	resp.Body.Close()
	res.Status = resp.StatusCode
	return res
}

// encodeIPv6 and decodeIPv6 carry the probe through the snapshot.
func encodeIPv6(p *site.IPv6Probe) string {
	v := url.Values{}
	v.Set("host", p.Host)
	v.Set("aaaa", strings.Join(p.AAAA, ","))
	v.Set("status", strconv.Itoa(p.Status))
	v.Set("error", p.Error)
	return v.Encode()
}

func decodeIPv6(s string) *site.IPv6Probe {
	if s == "" {
		return nil
	}
	v, err := url.ParseQuery(s)
	if err != nil {
		return nil
	}
	p := &site.IPv6Probe{Host: v.Get("host"), Error: v.Get("error")}
	if a := v.Get("aaaa"); a != "" {
		p.AAAA = strings.Split(a, ",")
	}
	p.Status, _ = strconv.Atoi(v.Get("status"))
	return p
}

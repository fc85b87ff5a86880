package crawl

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// A hacked page must not turn the crawler against the network it runs in:
// when the site is public, nothing outside the site's own hosts may reach
// a private, loopback or link-local address. The site's own hosts are
// trusted, whatever they resolve to (an assessor inside an intranet with
// split DNS audits the site the way its users see it).

// internalAddr says whether ip is not a public unicast address: loopback,
// private (RFC 1918, fc00::/7), link-local (169.254/16 with the cloud
// metadata address, fe80::/10), CGNAT (100.64/10), unspecified or
// multicast.
func internalAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip.IsUnspecified() || cgnat.Contains(ip)
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// hostAddr returns the IP address of an IP-literal host ("10.0.0.1",
// "[::1]", and the old forms browsers accept, "0x7f.1" and "2130706433",
// which URL canonicalisation has turned into dotted quads already).
func hostAddr(host string) (netip.Addr, bool) {
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return ip, err == nil
}

// publicHost says whether a start host is on the public internet: a
// domain name with a dot that is not a local suffix, or a public IP.
func publicHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if ip, ok := hostAddr(h); ok {
		return !internalAddr(ip)
	}
	if !strings.Contains(h, ".") || h == "localhost" {
		return false
	}
	for _, suffix := range []string{".localhost", ".local", ".internal", ".lan", ".home.arpa", ".test", ".invalid"} {
		if strings.HasSuffix(h, suffix) {
			return false
		}
	}
	return true
}

// internalTarget says whether u names an internal address literally
// while the crawl's start host is public.
func (cr *crawler) internalTarget(u *url.URL) bool {
	if !cr.public {
		return false
	}
	ip, ok := hostAddr(u.Hostname())
	return ok && internalAddr(ip)
}

// errInternal is the error of a refused dial.
type errInternal struct{ addr string }

func (e errInternal) Error() string {
	return fmt.Sprintf("refused to connect to internal address %s (站外地址解析到内网地址，拒绝连接)", e.addr)
}

// refuseInternal is a net.Dialer Control function that refuses internal
// addresses: it runs after name resolution, so a public-looking name that
// resolves to 10.0.0.1 is caught too.
func refuseInternal(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return errInternal{address}
	}
	if ip, ok := hostAddr(host); !ok || internalAddr(ip) {
		return errInternal{address}
	}
	return nil
}

// guardedDial returns the transport's dial function. Hosts in scope dial
// as usual; others (external link checks) may reach only public addresses
// when the site itself is public.
func guardedDial(sc scope, public bool, dial func(context.Context, string, string) (net.Conn, error)) func(context.Context, string, string) (net.Conn, error) {
	var d net.Dialer
	own := d.DialContext
	offsite := (&net.Dialer{Control: refuseInternal}).DialContext
	if dial != nil {
		// A test's dialer maps names to loopback; it makes its own checks.
		own, offsite = dial, dial
	}
	if !public {
		return own
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err == nil && sc.hosts[strings.ToLower(host)] {
			return own(ctx, network, addr)
		}
		if ip, ok := hostAddr(host); !ok && err == nil || ok && !internalAddr(ip) {
			return offsite(ctx, network, addr)
		}
		return nil, errInternal{addr}
	}
}

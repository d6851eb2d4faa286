package provider

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"os"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"golang.org/x/net/http/httpproxy"
)

const envCABundle = "AWS_CA_BUNDLE"

// newHTTPClient builds the HTTP client of every AWS call the provider makes
// (STS included), with its proxies and CA bundle, and returns the bundle's
// PEM (nil without one). It stays the SDK's buildable client, which the SDK
// needs to apply its own settings.
func newHTTPClient(n networkSettings) (*awshttp.BuildableClient, []byte, error) {
	bundle, err := readCABundle(n.CABundle)
	if err != nil {
		return nil, nil, err
	}
	proxy := proxyConfig(n).ProxyFunc()
	return awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.Proxy = func(r *http.Request) (*url.URL, error) { return proxy(r.URL) }
		if bundle == nil {
			return
		}
		if tr.TLSClientConfig == nil {
			tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		// A pool per transport: each service client builds its own, and
		// the SDK may add to it.
		tr.TLSClientConfig.RootCAs = x509.NewCertPool()
		tr.TLSClientConfig.RootCAs.AppendCertsFromPEM(bundle)
	}), bundle, nil
}

// proxyConfig follows the hashicorp/aws provider (aws-sdk-go-base's legacy
// proxy mode): the environment's proxies, overridden by the arguments that
// are set; http_proxy also serves HTTPS unless an HTTPS proxy (even "") is
// set by argument or environment.
func proxyConfig(n networkSettings) *httpproxy.Config {
	c := httpproxy.FromEnvironment()
	if n.HTTPProxy != nil {
		c.HTTPProxy = *n.HTTPProxy
		if c.HTTPSProxy == "" {
			c.HTTPSProxy = *n.HTTPProxy
		}
	}
	if n.HTTPSProxy != nil {
		c.HTTPSProxy = *n.HTTPSProxy
	}
	if n.NoProxy != "" {
		c.NoProxy = n.NoProxy
	}
	return c
}

// httpProxyServesHTTPS explains, when it happens, that http_proxy carries
// HTTPS calls too: with AWS endpoints all HTTPS, it is the only proxy used.
func httpProxyServesHTTPS(n networkSettings) string {
	if n.HTTPProxy == nil || *n.HTTPProxy == "" || n.HTTPSProxy != nil || httpproxy.FromEnvironment().HTTPSProxy != "" {
		return ""
	}
	return "http_proxy is set and https_proxy is not, so HTTPS calls to AWS (all of them, unless an endpoint is http://) " +
		"go through the HTTP proxy too, as in the hashicorp/aws provider. To say so explicitly, set https_proxy to the " +
		"same URL; to send HTTPS calls directly, set https_proxy = \"\"."
}

// readCABundle reads custom_ca_bundle, else the file AWS_CA_BUNDLE names,
// and checks that it holds certificates: a bundle that silently trusts
// nothing would fail every call with a TLS error far from its cause.
func readCABundle(path string) ([]byte, error) {
	source := "custom_ca_bundle"
	if path == "" {
		source, path = envCABundle, os.Getenv(envCABundle)
	}
	if path == "" {
		return nil, nil
	}
	file, err := readableFile(source, path, "the CA bundle")
	if err != nil {
		return nil, err
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fileProblem(source, file, "the CA bundle", err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		return nil, &configError{
			Summary: "CA bundle holds no certificate",
			Detail: source + " names " + file + ", which holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\" " +
				"blocks). Point it at the PEM file of the certificates AWS calls should trust.",
		}
	}
	return pem, nil
}

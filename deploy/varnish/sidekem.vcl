vcl 4.1;
# Sidekem's front cache: Varnish 7.1 (Debian 12's `varnish`) between nginx (TLS) and gunicorn.
# README.md ("Production") gives the setup; tests/test_front_cache.py runs this file as shipped,
# only the backend's port replaced.
#
# * Anonymous GET/HEAD requests are cached per Host + URL (+ X-Forwarded-Proto) for as long as
#   the application allows shared caches to keep them: its `Cache-Control: public, max-age=60,
#   s-maxage=300` on public pages (core/website/cache.py). Responses that carry no max-age or
#   s-maxage, or are `private`/`no-store`, or set a cookie, are never cached.
# * Never cached, never answered from the cache: requests with Django's session cookie
#   (`sessionid`: editors and anyone signed in), the messages cookie, an Authorization header,
#   and /admin/, /documents/ (private collections), /i18n/. Other cookies (csrftoken,
#   analytics) are removed from cacheable requests. POST and other methods go to the backend.
# * `PURGE /path` with the page's Host forgets that path on that host with every query string
#   (?page=2, ?tag=...); `BAN /` with a Host forgets the whole host. Both come from
#   core/website/frontend_cache.py after a publish, and only straight from the addresses in
#   `sidekem_purgers` (not through nginx, which also refuses them); anyone else gets 405.
# * `X-Cache: HIT` or `MISS` on every answer.

import std;

# gunicorn (README.md, "Production").
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 5s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 60s;
}

# Who may PURGE and BAN: the application servers (and their Celery workers).
acl sidekem_purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # One spelling per host: lower case, without the default port.
    set req.http.Host = regsub(std.tolower(req.http.Host), ":(80|443)$", "");

    if (req.method == "PURGE" || req.method == "BAN") {
        # From an allowed address, and not relayed by a proxy there (nginx on this host sets
        # X-Forwarded-Proto, and X-Forwarded-For to which Varnish appends its own address).
        if (client.ip !~ sidekem_purgers || req.http.X-Forwarded-Proto ||
                req.http.X-Forwarded-For ~ ",") {
            return (synth(405, "Not allowed"));
        }
        # Bans test only obj.* (set in vcl_backend_response), so the ban lurker clears them.
        # Their arguments are taken verbatim: no quotes (hosts and paths hold no spaces).
        if (req.method == "PURGE") {
            if (std.ban("obj.http.X-Sidekem-Host == " + req.http.Host +
                    " && obj.http.X-Sidekem-Path == " + regsub(req.url, "\?.*$", ""))) {
                return (synth(200, "Purged"));
            }
        } else if (std.ban("obj.http.X-Sidekem-Host == " + req.http.Host)) {
            return (synth(200, "Banned"));
        }
        return (synth(400, std.ban_error()));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Links shared on social media carry tracking parameters the pages never read: drop them so
    # every share of a page is one cache object (the app drops the same ones, core/website/cache.py).
    if (req.url ~ "[?&](utm_[a-z_]+|fbclid|gclid|msclkid|igshid|mc_cid|mc_eid)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z_]+|fbclid|gclid|msclkid|igshid|mc_cid|mc_eid)=[^&]*(&|$)", "");
        set req.url = regsub(req.url, "[?&]$", "");
    }
    if (req.url ~ "^/(admin|documents|i18n)(/|\?|$)") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;)\s*(sessionid|messages)=") {
        return (pass);
    }
    # A passer-by: no other cookie changes the page. The language is in the path (/en/...):
    # LocaleMiddleware never takes it from Accept-Language here (site/sidekem_site/urls.py).
    unset req.http.Cookie;
    unset req.http.Accept-Language;
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    hash_data(req.http.Host);
    # The application redirects plain http to https in production: keep the two apart.
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_backend_response {
    # What PURGE and BAN test (removed again in vcl_deliver).
    set beresp.http.X-Sidekem-Host = bereq.http.Host;
    set beresp.http.X-Sidekem-Path = regsub(bereq.url, "\?.*$", "");

    if (bereq.uncacheable) {
        return (deliver);
    }
    # Only what the application allows shared caches to keep: no default TTL for the rest
    # (redirects, errors, anything without max-age or s-maxage). Varnish takes the TTL from
    # s-maxage, else max-age; the builtin rules below still refuse private, no-store, no-cache,
    # Set-Cookie and Vary: *.
    if (beresp.http.Cache-Control !~ "(?i)(^|[,\s])(s-maxage|max-age)=[0-9]") {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
}

sub vcl_deliver {
    unset resp.http.X-Sidekem-Host;
    unset resp.http.X-Sidekem-Path;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

"""WSGI middleware: records AWS API calls and serves the /_emulator/ endpoints.

Tests read the log to assert which EC2 actions the provider made.  Only the
service name is taken from the SigV4 credential scope, and the caller: the
ARN of the identity that signed the call, as sts:GetCallerIdentity names it,
so that tests can tell which credentials (an assumed role's, say) a call
used.  The Authorization header, access keys, session tokens, web identity
tokens and signatures are never stored.

The fault proxy of the Go tests (internal/acctest/fault_proxy.go) sits in
front of the emulator.  Every fault it injects lands in this log too, in a
"fault" field: on the forwarded call itself (header X-Emulator-Fault, for
added latency and for an answer lost after the call was carried out), or,
for calls it answered or dropped without forwarding them (throttling,
InternalError, a reset connection), as an entry it records through
POST /_emulator/requests/record.
"""

import io
import json
import re
import threading
import time
from urllib.parse import parse_qs, parse_qsl

import privatelink_lifecycle as lifecycle
import realism
from runtime_config import EmulatorConfig

CONTROL_PREFIX = "/_emulator/"
UNLOGGED_PREFIXES = (CONTROL_PREFIX, "/moto-api")

# Credential=AKID/20240101/us-east-1/ec2/aws4_request -> "ec2"
_SCOPE_SERVICE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request")
# ... -> ("AKID", "us-east-1"), to name the caller; the key is not kept.
_SCOPE_KEY_REGION = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/")
_PRESIGNED_SERVICE = re.compile(r"^[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request$")
_XML_ERROR_CODE = re.compile(rb"<Code>\s*([^<\s]+)\s*</Code>")

# Parameters that carry credentials or signatures (presigned URLs, SigV2).
_SECRET_PARAMS = {
    "awsaccesskeyid",
    "signature",
    "signaturemethod",
    "signatureversion",
    "securitytoken",
    "webidentitytoken",
    "samlassertion",
}
_ENVELOPE_PARAMS = {"Action", "Version"}


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries: list[dict] = []
        self._last_seq = 0

    def record(self, entry: dict) -> None:
        with self._lock:
            self._last_seq += 1
            self._entries.append({"seq": self._last_seq, **entry})

    def since(self, seq: int) -> dict:
        with self._lock:
            entries = [dict(e) for e in self._entries if e["seq"] > seq]
        return {"next": entries[-1]["seq"] if entries else seq, "requests": entries}

    def clear(self) -> None:
        with self._lock:  # seq keeps counting so old cursors stay valid
            self._entries.clear()


def _read_body(environ) -> bytes:
    """Read the body once and put it back so moto can read it again."""
    length = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    if length.isdigit():
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):  # chunked upload
        body = stream.read()
        environ["CONTENT_LENGTH"] = str(len(body))
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("x-amz-") or lowered in _SECRET_PARAMS


def _params(environ, body: bytes) -> dict:
    form = ""
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        form = body.decode("utf-8", "replace")
    return _form_params(environ.get("QUERY_STRING", ""), form)


def _form_params(query: str, form: str) -> dict:
    pairs = parse_qsl(query, keep_blank_values=True) + parse_qsl(form, keep_blank_values=True)
    return {k: v for k, v in pairs if k not in _ENVELOPE_PARAMS and not _is_secret(k)}


# Route 53 is a REST API: its action is the method and path of the
# request, as each action's "Request Syntax" in the Route 53 API Reference
# gives them (only the actions the provider calls are named).
_ROUTE53_ACTIONS = [
    (method, re.compile(r"^/2013-04-01/" + path + r"/?$"), action)
    for method, path, action in [
        ("POST", r"hostedzone", "CreateHostedZone"),
        ("GET", r"hostedzone/[^/]+", "GetHostedZone"),
        ("DELETE", r"hostedzone/[^/]+", "DeleteHostedZone"),
        ("POST", r"hostedzone/[^/]+/rrset", "ChangeResourceRecordSets"),
        ("GET", r"hostedzone/[^/]+/rrset", "ListResourceRecordSets"),
        ("POST", r"hostedzone/[^/]+/associatevpc", "AssociateVPCWithHostedZone"),
        ("POST", r"hostedzone/[^/]+/disassociatevpc", "DisassociateVPCFromHostedZone"),
        ("GET", r"change/[^/]+", "GetChange"),
        ("GET", r"hostedzonesbyvpc", "ListHostedZonesByVPC"),
        ("GET", r"hostedzonesbyname", "ListHostedZonesByName"),
    ]
]


def _rest_action(environ) -> str:
    method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
    for want, pattern, action in _ROUTE53_ACTIONS:
        if method == want and pattern.match(path):
            return action
    return ""


def _action(environ, body: bytes) -> str:
    if environ.get("PATH_INFO", "").startswith("/2013-04-01/"):
        return _rest_action(environ)
    for source in (environ.get("QUERY_STRING", ""), body.decode("utf-8", "replace")):
        actions = parse_qs(source).get("Action")
        if actions:
            return actions[0]
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    return target.rsplit(".", 1)[-1] if target else ""


def _service(environ) -> str:
    match = _SCOPE_SERVICE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if match:
        return match.group(1)
    for name, value in parse_qsl(environ.get("QUERY_STRING", "")):
        if name.lower() == "x-amz-credential":
            presigned = _PRESIGNED_SERVICE.match(value)
            return presigned.group(1) if presigned else ""
    return ""


def _caller(environ) -> str:
    """ARN of the identity that signed the call, resolved as moto's
    sts:GetCallerIdentity does ("" for unsigned calls)."""
    match = _SCOPE_KEY_REGION.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not match:
        return ""
    from moto.iam.models import get_account_id_from
    from moto.sts.models import sts_backends
    from moto.utilities.utils import get_partition

    access_key, region = match.groups()
    try:
        backend = sts_backends[get_account_id_from(access_key)][get_partition(region)]
        return backend.get_caller_identity(access_key, region)[1]
    except Exception:  # an odd Region or key must not break the log
        return ""


def _error_code(body: bytes) -> str:
    match = _XML_ERROR_CODE.search(body)
    if match:
        return match.group(1).decode("utf-8", "replace")
    try:  # JSON protocols: {"__type": "ns#Code", ...}
        return str(json.loads(body).get("__type", "")).rsplit("#", 1)[-1]
    except (ValueError, AttributeError):
        return ""


class EmulatorMiddleware:
    def __init__(self, app, log: RequestLog, config: EmulatorConfig):
        self.app = app
        self.log = log
        self.config = config

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX):
            return self._control(environ, start_response, path[len(CONTROL_PREFIX) :])
        if path.startswith(UNLOGGED_PREFIXES):
            return self.app(environ, start_response)
        return self._logged(environ, start_response)

    def _logged(self, environ, start_response):
        started = time.time()
        body = _read_body(environ)
        service, action = _service(environ), _action(environ, body)
        status_holder = []

        def capture(status, headers, exc_info=None):
            status_holder.append(int(status.split(" ", 1)[0]))
            return start_response(status, headers, exc_info)

        ctx = realism.begin_request(self.config)
        try:
            # Latency, locking and due state transitions (see realism).  The
            # whole answer is produced while the lock is held.
            with realism.serve(ctx, service, action, lifecycle.due, lifecycle.sweep):
                result = self.app(environ, capture)
                try:
                    response_body = b"".join(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()
        finally:
            realism.end_request()
        error_code = ""
        if status_holder and status_holder[-1] >= 400:
            error_code = _error_code(response_body)
        self.log.record(
            {
                "service": service,
                "action": action,
                "params": _params(environ, body),
                "status": status_holder[-1] if status_holder else 0,
                "error_code": error_code,
                "time": started,
                # Tells the provider's calls from the test fixture's (the SDK
                # puts the provider's app ID in it); holds no credentials.
                "user_agent": environ.get("HTTP_USER_AGENT", "")[:300],
                "caller": _caller(environ),
                "fault": environ.get("HTTP_X_EMULATOR_FAULT", ""),
            }
        )
        return [response_body]

    def _record_fault(self, environ) -> dict:
        """An entry for a call the fault proxy answered or dropped itself."""
        entry = json.loads(_read_body(environ) or b"{}")
        if not isinstance(entry, dict) or not entry.get("fault"):
            raise ValueError("a recorded call needs a fault")
        return {
            "service": str(entry.get("service", "")),
            "action": str(entry.get("action", "")),
            "params": _form_params("", str(entry.get("form", ""))),
            "status": int(entry.get("status", 0)),
            "error_code": str(entry.get("error_code", "")),
            "time": float(entry.get("time", time.time())),
            "user_agent": str(entry.get("user_agent", ""))[:300],
            "caller": "",
            "fault": str(entry["fault"]),
        }

    def _control(self, environ, start_response, route: str):
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if route == "health" and method == "GET":
                return _json(start_response, 200, {"ok": True})
            if route == "requests" and method == "GET":
                query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
                return _json(start_response, 200, self.log.since(int(query.get("since", "0"))))
            if route == "requests/record" and method == "POST":
                self.log.record(self._record_fault(environ))
                return _json(start_response, 200, {"ok": True})
            if route == "requests/clear" and method == "POST":
                self.log.clear()
                return _json(start_response, 200, {"ok": True})
            if route == "config" and method == "GET":
                return _json(start_response, 200, self.config.snapshot())
            if route == "config" and method == "POST":
                changes = json.loads(_read_body(environ) or b"{}")
                self.config.update(changes)
                return _json(start_response, 200, self.config.snapshot())
        except ValueError as e:  # bad since=, bad JSON, bad config values
            return _json(start_response, 400, {"error": str(e)})
        return _json(start_response, 404, {"error": f"no route {method} {CONTROL_PREFIX}{route}"})


def _json(start_response, status: int, payload) -> list:
    body = json.dumps(payload).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}[status]
    start_response(
        f"{status} {reason}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]

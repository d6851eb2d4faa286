"""Paged Describe* answers, and AWS's check of ID shapes in requests.

Paging (EC2 API reference, "Pagination"): describe calls return at most
MaxResults items and a NextToken for the rest, and callers must follow it
"until NextToken is null".  AWS decides page sizes itself, also when IDs or
filters narrow the call, and openshift/hive 2661 saw an empty first page
that still carried a NextToken.  Here every Describe* call the provider
makes answers min(MaxResults, page_size) items per page; with
empty_first_page_rate the first page is empty.  moto computes the full list
each time and the wrapper slices it; the opaque NextToken carries the offset
and a fingerprint of the call (action, account, Region, all other
parameters), signed, so a token from another call or filter set, or one the
emulator never issued, answers InvalidNextToken.

Malformed IDs (EC2 API reference, "Error codes", *.Malformed): an ID in a
request parameter (not a filter value) without AWS's shape, prefix-
followed by 8 or 17 lower-case hex digits, fails the whole call, whichever
other IDs it names.  Well-formed unknown IDs keep their *.NotFound errors.

Which operation each code and wording is sourced for, and which are
unverified for this operation: privatelink_errors.invalid_next_token and
privatelink_errors.malformed_id.
"""

import base64
import binascii
import hashlib
import hmac
import json
import os
import re

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.ec2.responses import EC2Response

import privatelink_errors as errors
import realism

# Method name: result keys paged together (the first is the item list).
PAGED = {
    "describe_vpc_endpoints": ("VpcEndpoints",),
    "describe_vpc_endpoint_services": ("ServiceDetails", "ServiceNames"),
    "describe_vpc_endpoint_connections": ("VpcEndpointConnections",),
    "describe_subnets": ("Subnets",),
    "describe_security_groups": ("SecurityGroups",),
    "describe_network_interfaces": ("NetworkInterfaces",),
    "describe_network_acls": ("NetworkAcls",),
    "describe_vpcs": ("Vpcs",),
}

_PAGING_PARAMS = ("NextToken", "MaxResults")
_UNSIGNED = ("Action", "Version")
_SECRET = os.urandom(32)


def _fingerprint(response, action: str) -> str:
    params = sorted(
        (k, v)
        for k, v in response.querystring.items()
        if k not in _PAGING_PARAMS + _UNSIGNED and not k.lower().startswith("x-amz-")
    )
    raw = json.dumps([action, response.current_account, response.region, params], default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def _sign(payload: bytes) -> str:
    return hmac.new(_SECRET, payload, hashlib.sha256).hexdigest()[:24]


def encode_token(offset: int, fingerprint: str) -> str:
    payload = json.dumps({"o": offset, "f": fingerprint}, separators=(",", ":")).encode()
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{body}.{_sign(payload)}"


def decode_token(token: str, fingerprint: str) -> int:
    try:
        body, signature = token.rsplit(".", 1)
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if not hmac.compare_digest(signature, _sign(payload)):
            raise ValueError("bad signature")
        data = json.loads(payload)
        offset = data["o"]
        if data["f"] != fingerprint or not isinstance(offset, int) or offset < 0:
            raise ValueError("token of another call")
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise errors.invalid_next_token(token) from None
    return offset


def _page_size(max_results) -> int | None:
    configured = realism.knob("page_size")
    if max_results and configured:
        return min(max_results, configured)
    return max_results or configured or None


def _paged(method, keys):
    def describe(self):
        token = self._get_param("NextToken")
        max_results = self._get_int_param("MaxResults")
        # moto answers with the whole list (and ignores its own paging).
        for name in _PAGING_PARAMS:
            self.querystring.pop(name, None)
            if isinstance(getattr(self, "params", None), dict):
                self.params.pop(name, None)
        fingerprint = _fingerprint(self, method.__name__)
        offset = decode_token(token, fingerprint) if token else 0
        result = method(self)
        data = result.result
        size = _page_size(max_results)
        data.pop("NextToken", None)
        if size is None:
            return result
        if not token and realism.rng().random() < realism.knob("empty_first_page_rate"):
            # openshift/hive 2661: an empty first page that has a NextToken.
            end, next_offset = offset, offset
        else:
            end = offset + size
            next_offset = end if end < len(data.get(keys[0]) or []) else None
        for key in keys:
            if data.get(key) is not None:
                data[key] = list(data[key])[offset:end]
        if next_offset is not None:
            data["NextToken"] = encode_token(next_offset, fingerprint)
        return result

    describe.__name__ = method.__name__
    return describe


# --- ID shapes ------------------------------------------------------------------

# (flat query parameter name, ID prefix, error code).  The codes are AWS's
# spelling from the EC2 error code list, which is not uniform ("ID"/"Id"),
# except the last: the list spells it InvalidVpcEndpointServiceIdId.Malformed,
# and this spelling is unverified for this operation.
_ID_PARAMS = [
    (re.compile(r"^VpcEndpointId(\.\d+)?$"), "vpce", "InvalidVpcEndpointId.Malformed"),
    (re.compile(r"^(Add|Remove)?SubnetId(\.\d+)?$"), "subnet", "InvalidSubnetID.Malformed"),
    (
        re.compile(r"^((Add|Remove)?SecurityGroupId|GroupId)(\.\d+)?$"),
        "sg",
        "InvalidGroupId.Malformed",
    ),
    (re.compile(r"^VpcId(\.\d+)?$"), "vpc", "InvalidVpcID.Malformed"),
    (
        re.compile(r"^NetworkInterfaceId(\.\d+)?$"),
        "eni",
        "InvalidNetworkInterfaceId.Malformed",
    ),
    (re.compile(r"^ServiceId(\.\d+)?$"), "vpce-svc", "InvalidVpcEndpointServiceId.Malformed"),
]
# CreateVpcEndpoint answered InvalidVpcId.Malformed (not ...VpcID...) for a
# bad VpcId (mongodb/mongodbatlas-cloudformation-resources 160).  The other
# codes keep the list's spelling on the VPC endpoint actions, unverified for
# this operation; ModifyVpcEndpoint answered InvalidSubnetId.Malformed for a
# bad subnet ID (terraform-aws-modules/terraform-aws-vpc 722).
_PRIVATELINK_CODES = {"InvalidVpcID.Malformed": "InvalidVpcId.Malformed"}


def _well_formed(prefix: str, value: str) -> bool:
    return re.fullmatch(rf"{re.escape(prefix)}-(?:[0-9a-f]{{8}}|[0-9a-f]{{17}})", value) is not None


def check_id_format(action: str, querystring: dict) -> None:
    privatelink = "VpcEndpoint" in action
    for name, values in querystring.items():
        for pattern, prefix, code in _ID_PARAMS:
            if not pattern.match(name):
                continue
            for value in values if isinstance(values, list) else [values]:
                if not _well_formed(prefix, str(value)):
                    if privatelink:
                        code = _PRIVATELINK_CODES.get(code, code)
                    raise errors.malformed_id(code, str(value), prefix, privatelink)


def _error_response(response, error: ServiceException):
    # What moto's BaseResponse.call_action does with a ServiceException.
    status, headers, body = response.serialized(ActionResult(error))
    headers["status"] = status
    headers, body = response._enrich_response(headers, body)
    return status, headers, body


def install() -> None:
    for name, keys in PAGED.items():
        setattr(EC2Response, name, _paged(getattr(EC2Response, name), keys))

    original_call_action = EC2Response.call_action

    def call_action(self):
        if realism.knob("check_id_format"):
            try:
                check_id_format(self._get_action(), self.querystring)
            except ServiceException as e:
                return _error_response(self, e)
        return original_call_action(self)

    EC2Response.call_action = call_action

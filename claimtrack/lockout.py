"""What a locked-out sign-in gets (django-axes calls this: AXES_LOCKOUT_CALLABLE).

The API answers in its error shape, the pages with a page that says what happened and
when to try again; both are 429 with Retry-After, the whole cool-off (a failed attempt
during the lockout starts it again)."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else None
    minutes = -(-seconds // 60) if seconds else None  # rounded up
    if request.path.startswith("/api/"):
        message = "Too many failed sign-ins for this username from this address."
        message += f" Try again in {minutes} minutes." if minutes else " Ask an admin to unlock it."
        body = {"error": {"code": "locked_out", "message": message, "details": {}}}
        response = JsonResponse(body, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


def client_address(request) -> str | None:
    """The address a sign-in came from (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, or behind
    CLAIMTRACK_LOGIN_TRUSTED_PROXIES proxies the address the outermost of them saw."""
    proxies = settings.CLAIMTRACK_LOGIN_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")

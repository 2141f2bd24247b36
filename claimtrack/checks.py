"""`manage.py check --deploy` also checks the Content Security Policy: Django's own deploy
checks know nothing of it, and one `'unsafe-inline'` would quietly undo it."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
# Sources that would let an injected script run, in the directives that govern scripts.
_UNSAFE_SCRIPT_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"}


def _directives() -> dict[str, list[str]]:
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return {name: list(values or []) for name, values in policy.get("DIRECTIVES", {}).items()}


@register(Tags.security, deploy=True)
def content_security_policy(app_configs=None, **kwargs) -> list[Warning]:
    hint = "See CONTENT_SECURITY_POLICY in claimtrack/settings.py."
    if CSP_MIDDLEWARE not in settings.MIDDLEWARE:
        return [Warning(f"{CSP_MIDDLEWARE} is not in MIDDLEWARE.", hint=hint, id="claimtrack.W001")]
    directives = _directives()
    problems = []
    # A browser falls back to default-src for scripts when script-src is absent.
    script_directive = "script-src" if "script-src" in directives else "default-src"
    if not directives.get(script_directive):
        problems.append(
            Warning("The policy does not restrict scripts.", hint=hint, id="claimtrack.W002")
        )
    else:
        for name in (script_directive, "script-src-elem", "script-src-attr"):
            unsafe = sorted(set(directives.get(name, [])) & _UNSAFE_SCRIPT_SOURCES)
            if unsafe:
                problems.append(
                    Warning(
                        f"The policy's {name} allows {', '.join(unsafe)}.",
                        hint=hint,
                        id="claimtrack.W003",
                    )
                )
    for name, wanted in (("object-src", "'none'"), ("frame-ancestors", "'none'")):
        if directives.get(name) != [wanted]:
            problems.append(
                Warning(f"The policy's {name} is not {wanted}.", hint=hint, id="claimtrack.W004")
            )
    return problems

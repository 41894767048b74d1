"""Single-sign-on providers read from the environment (docs/deploy.md, "Single sign-on").

One OpenID Connect provider and one SAML identity provider, each configured when its required
variables are set and absent otherwise. allauth keeps them as "apps" of its ``openid_connect`` and
``saml`` providers; an organisation then links its e-mail domain to one of them by its id
(identity.models.SsoDomain).
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_str


def _oidc() -> dict | None:
    server_url = env_str("OIDC_SERVER_URL", "")
    if not server_url:
        return None
    client_id = env_str("OIDC_CLIENT_ID", "")
    if not client_id:
        raise ImproperlyConfigured("OIDC_SERVER_URL is set, so OIDC_CLIENT_ID is required too.")
    return {
        "provider_id": env_str("OIDC_PROVIDER_ID", "oidc"),
        "name": env_str("OIDC_PROVIDER_NAME", "Single sign-on"),
        "client_id": client_id,
        "secret": env_str("OIDC_CLIENT_SECRET", ""),
        "settings": {
            # The issuer's base URL; allauth reads /.well-known/openid-configuration below it.
            "server_url": server_url,
            # PKCE as well as the secret: a stolen authorisation code is useless on its own.
            "oauth_pkce_enabled": env_bool("OIDC_PKCE", True),
            "token_auth_method": env_str("OIDC_TOKEN_AUTH_METHOD", "client_secret_post"),
        },
    }


def _saml() -> dict | None:
    entity_id = env_str("SAML_IDP_ENTITY_ID", "")
    if not entity_id:
        return None
    metadata_url = env_str("SAML_IDP_METADATA_URL", "")
    sso_url = env_str("SAML_IDP_SSO_URL", "")
    cert = env_str("SAML_IDP_X509_CERT", "")
    if not metadata_url and not (sso_url and cert):
        raise ImproperlyConfigured(
            "SAML_IDP_ENTITY_ID is set: also set SAML_IDP_METADATA_URL, or SAML_IDP_SSO_URL and SAML_IDP_X509_CERT."
        )
    idp = {"entity_id": entity_id}
    if metadata_url:
        idp["metadata_url"] = metadata_url
    else:
        idp.update(sso_url=sso_url, x509cert=cert)
        slo_url = env_str("SAML_IDP_SLO_URL", "")
        if slo_url:
            idp["slo_url"] = slo_url
    return {
        "provider_id": env_str("SAML_PROVIDER_ID", "saml"),
        "name": env_str("SAML_PROVIDER_NAME", "Single sign-on (SAML)"),
        # allauth's SAML URLs name the app by this slug: /accounts/saml/<client_id>/acs/ and so on.
        "client_id": env_str("SAML_SLUG", "sso"),
        "settings": {
            "attribute_mapping": {
                "uid": env_str("SAML_ATTRIBUTE_UID", "uid"),
                "email": env_str("SAML_ATTRIBUTE_EMAIL", "email"),
                "email_verified": env_str("SAML_ATTRIBUTE_EMAIL_VERIFIED", "email_verified"),
                "first_name": "first_name",
                "last_name": "last_name",
            },
            "idp": idp,
            "sp": {"entity_id": env_str("SAML_SP_ENTITY_ID", "")} if env_str("SAML_SP_ENTITY_ID", "") else {},
            "advanced": {
                # Signed assertions only, and requests signed when the SP has a key.
                "want_assertion_signed": True,
                "want_message_signed": False,
                "reject_idp_initiated_sso": True,
            },
        },
    }


def sso_providers() -> dict:
    providers = {}
    oidc = _oidc()
    if oidc:
        providers["openid_connect"] = {"APPS": [oidc]}
    saml = _saml()
    if saml:
        providers["saml"] = {"APPS": [saml]}
    return providers

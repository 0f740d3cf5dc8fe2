"""Migrates, makes the signing key, our client and the test people.

Run once with `manage.py shell -c "import idp.setup_data"`: one process instead of three.
"""

import json
import os

from django.contrib.auth.models import User
from django.core.management import call_command
from oidc_provider.models import Client, ResponseType

from idp.models import Citizen

call_command("migrate", verbosity=0, interactive=False)
call_command("creatersakey")
spec = json.loads(os.environ["IDP_SETUP"])
client = Client.objects.create(
    name="eservices", client_type="confidential", client_id=spec["client_id"],
    client_secret=spec["client_secret"], jwt_alg="RS256", require_consent=False,
    reuse_consent=True, _redirect_uris="\n".join(spec["redirect_uris"]),
    _scope="openid profile email national_id",
)
client.response_types.add(ResponseType.objects.get(value="code"))
for person in spec["people"]:
    user = User.objects.create_user(
        person["username"], person.get("email", ""), person["password"],
        first_name=person.get("first_name", ""), last_name=person.get("last_name", ""),
    )
    Citizen.objects.create(user=user, national_id=person.get("national_id", ""))

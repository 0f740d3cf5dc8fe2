#!/usr/bin/env python
"""A tiny OpenID Connect provider (django-oidc-provider) the identity tests run in a
second process, standing in for the city's identity service."""

import os
import sys

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ["DJANGO_SETTINGS_MODULE"] = "idp.settings"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

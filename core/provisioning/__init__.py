"""Creating villages: the one idempotent provisioning service and the district's screens and
commands that use it (village admin, bulk village import, ``village`` and ``provision_district``
commands). It sits above the website and the plugin host because a new village gets both."""

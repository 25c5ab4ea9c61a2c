"""The web form for producers (admin/): Decap CMS, its configuration made from the site's
data, and serve's local write API."""

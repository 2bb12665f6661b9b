"""Pages of one municipality, under /gemeenten/<slug>/. The tenant middleware has set the schema.

``home`` is the municipality's start page, ``rounds`` the IMV consultation as the municipality
takes part in it, ``plans`` the pages of its local safety plans (IVP); ``_common`` what they share.
``municipalities.urls`` names the view of every address.
"""

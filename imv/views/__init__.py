"""The region's IMV pages, under /regio/: ``rounds`` the overview, a round's status board, its
exports and the adviser's forms; ``opinions`` the submitted zienswijzen and the region's reactions;
``dashboard`` the RBOP dashboard; ``notifications`` everyone's in-portal messages. ``_common`` holds
who may see a round and what every round page shows. ``imv.urls`` names the view of every address.
"""

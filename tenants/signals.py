"""What tenants tells the apps above it, without importing them (they listen in their AppConfig.ready)."""

from django.dispatch import Signal

# Sent with ``municipality`` once a new municipality has its schema and its path, inside the
# transaction that creates it: whatever a listener writes commits or vanishes with it.
municipality_created = Signal()

"""Shared surfaces carry the tenant (issue 6): one module per surface, each test as A and then as B.

Cache, websocket groups, Celery tasks, file paths, login lockout and notification recipients are
shared by every municipality. Each module acts as municipality A (Heemstede) and then as B (Haarlem),
through real requests where there is a request path, and asserts that B never gets A's thing.
Each module's docstring says how its assertions were seen to fail with the tenant dropped.
"""

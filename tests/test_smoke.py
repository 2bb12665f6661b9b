def test_demo_municipalities_have_schemas(heemstede, haarlem, in_schema):
    from municipalities.models import SafetyPlan

    with in_schema(heemstede):
        assert SafetyPlan.objects.filter(title__contains="Heemstede").count() == 2
    with in_schema(haarlem):
        assert not SafetyPlan.objects.filter(title__contains="Heemstede").exists()

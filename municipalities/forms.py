from django import forms

from municipalities.models import SafetyPlan


class SafetyPlanForm(forms.ModelForm[SafetyPlan]):
    class Meta:
        model = SafetyPlan
        fields = ["title", "status", "summary"]

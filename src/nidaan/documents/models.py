"""Lab reports and images attached to a patient or a visit."""

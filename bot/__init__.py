"""boardbot's core: configuration, rules, services, i18n and the application assembly."""

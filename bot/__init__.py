"""The runtime (app, router, flows, context, types, delivery, channels, cli) and one
package per capability (roster, kb, notices, reading, proposals): its services and rules.
"""

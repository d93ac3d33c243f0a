"""Billing: GST bills of supply and tax invoices, receipts, credit notes, payments, returns."""

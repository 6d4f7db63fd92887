"""Residents on a WeChat service account (服务号): the callback, its crypto, the API client and the notices."""

#!/usr/bin/env python3
"""Writes the two data sets of CHUNK_INTERVAL.md in the platform's CSV format (random walks, weekdays only).

platform: 13 files, ~33k rows, spanning 2013-2025 like the real files measured (one sparse 1h file from 2013).
large:    12 files, ~400k rows: 30 years of 1d, 10 years of 1h (market hours), 1 year of 5m (24h, forex-like).
usage: generate.py OUT_DIR platform|large
"""
import datetime as dt
import os
import random
import sys


def bars(start, end, hours, step_minutes):
    day = start
    while day < end:
        if day.weekday() < 5:
            for hour in hours:
                for minute in range(0, 60, step_minutes) if step_minutes < 60 else [0]:
                    yield dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.timezone.utc)
        day += dt.timedelta(days=1)


def write(out, symbol, timeframe, times):
    rnd = random.Random(f"{symbol}/{timeframe}")
    price = 50 + rnd.random() * 200
    daily = timeframe == "1d"
    with open(os.path.join(out, f"{symbol}_{timeframe}.csv"), "w", encoding="utf-8") as f:
        f.write("date,open,high,low,close,volume\n" if daily else "timestamp,open,high,low,close,volume\n")
        n = 0
        for t in times:
            o = round(price, 4)
            c = round(price * (1 + (rnd.random() - 0.5) * 0.02), 4)
            h = round(max(o, c) * (1 + rnd.random() * 0.005), 4)
            lo = round(min(o, c) * (1 - rnd.random() * 0.005), 4)
            stamp = t.strftime("%Y-%m-%d") if daily else t.strftime("%Y-%m-%d %H:%M:%S+00:00")
            f.write(f"{stamp},{o!r},{h!r},{lo!r},{c!r},{float(round(rnd.random() * 5e6))}\n")
            price = c
            n += 1
    return n


def main():
    out, kind = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    d = dt.date
    day, market, allday = [0], range(14, 21), range(24)
    plan = []
    if kind == "platform":
        plan += [(s, "1d", bars(d(2015, 1, 1), d(2025, 7, 1), day, 60)) for s in ["AAPL", "MSFT", "GOOGL", "AMZN", "EURUSD"]]
        plan += [(s, "1h", bars(d(2024, 7, 1), d(2025, 7, 1), market, 60)) for s in ["AAPL", "MSFT", "GBPUSD", "USDJPY"]]
        plan += [("EURUSD", "1h", bars(d(2013, 1, 1), d(2024, 7, 1), [12], 60))]  # sparse, from 2013
        plan += [(s, "5m", bars(d(2025, 6, 16), d(2025, 6, 30), allday, 5)) for s in ["AAPL", "EURUSD", "GBPUSD"]]
    else:
        plan += [(s, "1d", bars(d(1995, 7, 1), d(2025, 7, 1), day, 60)) for s in ["AAPL", "MSFT", "IBM", "EURUSD"]]
        plan += [(s, "1h", bars(d(2015, 7, 1), d(2025, 7, 1), market, 60)) for s in ["AAPL", "MSFT", "IBM", "EURUSD"]]
        plan += [(s, "5m", bars(d(2024, 7, 1), d(2025, 7, 1), allday, 5)) for s in ["AAPL", "MSFT", "IBM", "EURUSD"]]
    total = sum(write(out, s, tf, times) for s, tf, times in plan)
    print(f"{kind}: {len(plan)} files, {total} rows in {out}")


main()

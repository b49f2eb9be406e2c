-- Bars of every series. The primary key is the identity of a bar and the index every read uses.
CREATE TABLE IF NOT EXISTS price_data (
    time      timestamptz      NOT NULL,
    symbol    text             NOT NULL,
    timeframe text             NOT NULL,
    open      double precision NOT NULL,
    high      double precision NOT NULL,
    low       double precision NOT NULL,
    close     double precision NOT NULL,
    volume    double precision NOT NULL,
    PRIMARY KEY (symbol, timeframe, time)
);

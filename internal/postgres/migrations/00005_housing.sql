-- +goose Up
-- Talent-apartment inventory. Areas are in square decimetres (hundredths of a square metre) and
-- rents in fen, so that no figure is a float.
CREATE TABLE properties (
    id         uuid PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    district   text NOT NULL,
    address    text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE units (
    id          uuid PRIMARY KEY,
    property_id uuid NOT NULL REFERENCES properties (id),
    number      text NOT NULL,
    layout      text NOT NULL CHECK (layout IN ('studio', '1br', '2br', '3br')),
    area_dm2    int NOT NULL CHECK (area_dm2 > 0), -- dm², hundredths of a square metre
    floor       int NOT NULL,
    market_rent bigint NOT NULL CHECK (market_rent > 0),
    status      text NOT NULL CHECK (status IN ('available', 'offered', 'let', 'maintenance')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CONSTRAINT units_property_number_key UNIQUE (property_id, number)
);
CREATE INDEX units_property ON units (property_id, number);

-- +goose Down
DROP TABLE units;
DROP TABLE properties;

-- The centre's schema, version 5: zones and markets travel in the feed
-- (entities 'zone' and 'market'), so every desk of a commune lists what the
-- centre holds. Those the centre held before reach the commune's desks
-- now: each zone once, then each market, after every zone, as a desk takes
-- a market only once it holds its zone.
INSERT INTO changes (unit, entity, entity_id, origin, created_at)
SELECT z.commune, 'zone', z.id, '', CAST(strftime('%s', 'now') AS INTEGER)
FROM zones z
WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.entity = 'zone' AND c.entity_id = z.id)
ORDER BY z.rowid;

INSERT INTO changes (unit, entity, entity_id, origin, created_at)
SELECT z.commune, 'market', m.id, '', CAST(strftime('%s', 'now') AS INTEGER)
FROM markets m JOIN zones z ON z.id = m.zone_id
WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.entity = 'market' AND c.entity_id = m.id)
ORDER BY m.rowid;

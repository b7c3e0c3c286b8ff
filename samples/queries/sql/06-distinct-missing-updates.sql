SELECT DISTINCT * FROM (SELECT "Title" FROM (SELECT * FROM (SELECT * FROM "Update") AS _t2 WHERE (("UpdateState" = 'Needed') AND ("Optional" = false))) AS _t1) AS _t0

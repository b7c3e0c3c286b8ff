SELECT "Computer", "Title", "KBID", "Classification", "PublishedDate" FROM (SELECT * FROM (SELECT * FROM "Update") AS _t1 WHERE (("UpdateState" = 'Needed') AND ("Optional" = false))) AS _t0

SELECT "Computer", count(*) AS "AggregatedValue" FROM (SELECT * FROM (SELECT * FROM "UpdateRunProgress") AS _t1 WHERE ("UpdateRunName" = 'DeploymentName')) AS _t0 GROUP BY "Computer"

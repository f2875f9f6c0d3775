package apptest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"accountportal/models"
)

// StoredText returns every text value in the portal's database that holds
// needle, as "table.column: value", so a test can show that input the
// portal refused left nothing behind, whichever table it might have
// reached (users, roles, sessions, audit entries, throttles, mail).
func (e *Env) StoredText(needle string) []string {
	e.T.Helper()
	db, columns := e.openForSearch()
	defer db.Close()
	ctx := context.Background()
	param := "?"
	if e.Store().Dialect() == models.Postgres {
		param = "$1"
	}
	var found []string
	for _, col := range columns {
		q := fmt.Sprintf(`SELECT CAST(%q AS TEXT) FROM %q WHERE CAST(%q AS TEXT) LIKE %s`, col[1], col[0], col[1], param)
		rows, err := db.QueryContext(ctx, q, "%"+needle+"%")
		if err != nil {
			e.T.Fatalf("search %s.%s: %v", col[0], col[1], err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				e.T.Fatal(err)
			}
			found = append(found, col[0]+"."+col[1]+": "+v)
		}
		if err := rows.Close(); err != nil {
			e.T.Fatal(err)
		}
	}
	return found
}

// openForSearch opens a second connection to the portal's database and
// lists its text columns as {table, column}. The database/sql drivers
// "sqlite" and "pgx" are registered by the packages models and modelstest
// import.
func (e *Env) openForSearch() (*sql.DB, [][2]string) {
	e.T.Helper()
	url := e.App.Config.DatabaseURL
	driver, dsn, list := "pgx", url, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')`
	if e.Store().Dialect() == models.SQLite {
		driver = "sqlite"
		dsn = "file:" + strings.TrimPrefix(url, "sqlite://") + "?mode=ro&_pragma=busy_timeout(10000)"
		list = `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND (upper(p.type) LIKE '%TEXT%' OR upper(p.type) LIKE '%CHAR%' OR upper(p.type) LIKE '%CLOB%')`
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		e.T.Fatal(err)
	}
	rows, err := db.QueryContext(context.Background(), list)
	if err != nil {
		e.T.Fatalf("list text columns: %v", err)
	}
	defer rows.Close()
	var cols [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			e.T.Fatal(err)
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		e.T.Fatal("no text columns found")
	}
	return db, cols
}

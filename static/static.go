// Package static embeds the stylesheet, scripts and images, and serves them
// under content-hashed names so browsers may cache them for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed css js img
var files embed.FS

// Assets maps logical names ("css/app.css") to hashed URLs and back.
type Assets struct {
	urls   map[string]string // logical name -> URL
	byPath map[string]asset  // hashed path below /static/ -> file
}

type asset struct {
	name string
	body []byte
	etag string
}

// Prefix is where assets are served.
const Prefix = "/static/"

// New reads the embedded files and computes their hashed names.
func New() (*Assets, error) {
	a := &Assets{urls: map[string]string{}, byPath: map[string]asset{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		short := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + short + ext
		a.urls[name] = Prefix + hashed
		a.byPath[hashed] = asset{name: name, body: body, etag: `"` + short + `"`}
		return nil
	})
	return a, err
}

// URL returns the hashed URL of the named asset. An unknown name returns a
// path that answers 404, so a typo shows up as a broken link in tests.
func (a *Assets) URL(name string) string {
	if u, ok := a.urls[name]; ok {
		return u
	}
	return Prefix + "missing/" + name
}

// ServeHTTP serves an asset by its hashed path (below Prefix).
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byPath[strings.TrimPrefix(r.URL.Path, Prefix)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", f.etag)
	if ct := mime.TypeByExtension(path.Ext(f.name)); ct != "" {
		h.Set("Content-Type", ct)
	}
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(f.body)
}

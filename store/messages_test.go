package store

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var verbPattern = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

// Every message format and field name the store's sources use has an
// English text with the same verbs in the same order: a message added in
// Vietnamese only fails here. The centre's (store/central) are the store's
// errors too, and are checked with them.
func TestEveryStoreMessageHasEnglish(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	centre, err := filepath.Glob("central/*.go")
	if err != nil || len(centre) == 0 {
		t.Fatalf("no sources of store/central: %v", err)
	}
	files = append(files, centre...)
	consts := map[string]string{}
	var calls []*ast.CallExpr
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if i < len(n.Values) {
						if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[name.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			case *ast.CallExpr:
				calls = append(calls, n)
			}
			return true
		})
	}
	str := func(e ast.Expr) (string, bool) {
		switch e := e.(type) {
		case *ast.BasicLit:
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		case *ast.Ident:
			s, ok := consts[e.Name]
			return s, ok
		case *ast.SelectorExpr: // store.FieldX, from store/central
			s, ok := consts[e.Sel.Name]
			return s, ok
		}
		return "", false
	}
	formats, fields := 0, 0
	for _, call := range calls {
		id, ok := call.Fun.(*ast.Ident)
		if sel, isSel := call.Fun.(*ast.SelectorExpr); isSel {
			if x, _ := sel.X.(*ast.Ident); x != nil && x.Name == "store" {
				id, ok = sel.Sel, true
			}
		}
		if !ok {
			continue
		}
		fieldAt, formatAt := -1, -1
		switch id.Name {
		case "invalid":
			fieldAt, formatAt = 0, 1
		case "newError", "NewError":
			fieldAt, formatAt = 1, 2
		case "forbidden", "notFound", "conflict", "no":
			formatAt = 0
		case "CleanText", "ParseDate":
			fieldAt = 0
		default:
			continue
		}
		where := fset.Position(call.Pos()).String()
		// The constructors and helpers hand their own parameters on.
		passedOn := func(at int) bool {
			id, ok := call.Args[at].(*ast.Ident)
			return ok && (id.Name == "field" || id.Name == "format")
		}
		if fieldAt >= 0 && passedOn(fieldAt) {
			fieldAt = -1
		}
		if formatAt >= 0 && passedOn(formatAt) {
			formatAt = -1
		}
		if fieldAt >= 0 {
			field, ok := str(call.Args[fieldAt])
			switch {
			case !ok:
				t.Errorf("%s: the field is not a constant string", where)
			case field != "" && englishFields[field] == "":
				t.Errorf("%s: field %q has no English name", where, field)
			}
			fields++
		}
		if formatAt < 0 {
			continue
		}
		format, ok := str(call.Args[formatAt])
		if !ok {
			t.Errorf("%s: the format is not a constant string", where)
			continue
		}
		formats++
		en, ok := englishFormats[format]
		if !ok {
			t.Errorf("%s: %q has no English text", where, format)
			continue
		}
		if vi, e := verbPattern.FindAllString(format, -1), verbPattern.FindAllString(en, -1); !slices.Equal(vi, e) {
			t.Errorf("%q: verbs %v in Vietnamese, %v in English", format, vi, e)
		}
	}
	if formats < 100 || fields < 50 {
		t.Fatalf("found only %d formats and %d fields: is the parser looking in the right place?", formats, fields)
	}
	for vi, en := range englishFormats {
		if vi2 := verbPattern.FindAllString(vi, -1); !slices.Equal(vi2, verbPattern.FindAllString(en, -1)) {
			t.Errorf("%q → %q: the verbs differ", vi, en)
		}
	}
}

// What a clerk reads in English: a validation error names the field and
// the problem in English; in Vietnamese it is unchanged.
func TestErrorTextInEnglish(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2021, 9, 21, 9, 0, 0, 0, Vietnam)
	db.SetClock(func() time.Time { return now })
	if err := db.SeedProvince(ctx); err != nil {
		t.Fatal(err)
	}
	in := leanIntake(1)
	in.Person.Phone = "0123"
	in.Application.ValidFrom = now.AddDate(0, 0, -3)
	_, err = db.Submit(ctx, System(), in)
	if err == nil {
		t.Fatal("a past start date was accepted")
	}
	vi, en := ErrorText(err, false), ErrorText(err, true)
	if vi != err.Error() || !strings.Contains(vi, "đã qua") {
		t.Errorf("Vietnamese text changed: %q", vi)
	}
	if !strings.Contains(en, "Validity: the start date") || !strings.Contains(en, "is past") || strings.Contains(en, "đã qua") {
		t.Errorf("English text: %q", en)
	}

	units, _ := db.Units(ctx)
	commune, _ := units.Get(28291)
	far := Case{Category: CatResident, Area: []uint32{28291, 28249}, Holder: Person{Commune: 28294}}
	a := units.Decide(commune, far)
	if a.Allowed || !strings.Contains(a.ReasonText(true), "this person lives in") || a.ReasonText(false) != a.Reason {
		t.Errorf("authority reason: %q / %q", a.ReasonText(true), a.Reason)
	}
	if e := a.refusal(); ErrorText(e, true) != a.ReasonText(true) || e.Error() != a.Reason {
		t.Errorf("refusal: %q / %q", ErrorText(e, true), e.Error())
	}
}

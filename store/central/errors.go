package central

import "thonghanh/store"

// The centre's refusals are store errors (store.NewError): the desk shows
// them to its clerk in either language, like its own.

func invalid(field, format string, args ...any) *store.Error {
	return store.NewError(store.EInvalid, field, format, args...)
}

func forbidden(format string, args ...any) *store.Error {
	return store.NewError(store.EForbidden, "", format, args...)
}

func notFound(format string, args ...any) *store.Error {
	return store.NewError(store.ENotFound, "", format, args...)
}

func conflict(format string, args ...any) *store.Error {
	return store.NewError(store.EConflict, "", format, args...)
}

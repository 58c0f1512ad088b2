package org.trapline.catalog;

/** A change to the catalog that would make it inconsistent (a camera at an unknown site, …). */
public final class CatalogException extends RuntimeException {
    public CatalogException(String message) {
        super(message);
    }
}

"""Getting the public record in: one module per public format or record kind.

Every importer builds the new text of each file it changes and hands them all to
`store.write_files`, the one place they are written (staged, loaded as a whole
snapshot, then written all or nothing).
"""

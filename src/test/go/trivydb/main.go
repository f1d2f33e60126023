// Command trivydb writes an offline vulnerability database that Trivy reads from its cache folder,
// from a YAML file of real advisories (src/test/resources/trivy-db/advisories.yaml), with the same
// trivy-db and trivy-java-db code Trivy uses to read it:
//
//	trivydb ADVISORIES.yaml CACHE_DIR [UPDATED_AT]
//
// writes CACHE_DIR/db/trivy.db and metadata.json (schema 2), and CACHE_DIR/java-db/trivy-java.db and
// metadata.json (schema 1, no rows: jars are identified by their pom.properties). Trivy then scans
// with --cache-dir CACHE_DIR --skip-db-update --skip-java-db-update. UPDATED_AT (RFC 3339) is the time
// the DB says it was updated, for a test of an old DB; by default the fixture's updatedAt, else now.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	tdb "github.com/aquasecurity/trivy-db/pkg/db"
	"github.com/aquasecurity/trivy-db/pkg/metadata"
	"github.com/aquasecurity/trivy-db/pkg/types"
	jdb "github.com/aquasecurity/trivy-java-db/pkg/db"
	bolt "go.etcd.io/bbolt"
	"gopkg.in/yaml.v3"
	_ "modernc.org/sqlite"
)

// Fixture is the advisories file.
type Fixture struct {
	// UpdatedAt is the DB's recorded update time; "now" when empty, so that its age is whatever a test needs.
	UpdatedAt       string            `yaml:"updatedAt"`
	DataSources     []DataSource      `yaml:"dataSources"`
	Debian          []DebianAdvisory  `yaml:"debian"`
	Maven           []MavenAdvisory   `yaml:"maven"`
	Vulnerabilities []Vulnerability   `yaml:"vulnerabilities"`
	Sources         map[string]string `yaml:"sources"`
}

type DataSource struct {
	Bucket string `yaml:"bucket"`
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	URL    string `yaml:"url"`
}

type DebianAdvisory struct {
	Release   string   `yaml:"release"`
	Package   string   `yaml:"package"`
	ID        string   `yaml:"id"`
	Fixed     string   `yaml:"fixed"`
	Status    string   `yaml:"status"`
	Severity  string   `yaml:"severity"`
	VendorIDs []string `yaml:"vendorIds"`
	Source    string   `yaml:"source"`
}

type MavenAdvisory struct {
	Package    string   `yaml:"package"`
	ID         string   `yaml:"id"`
	Vulnerable []string `yaml:"vulnerable"`
	Patched    []string `yaml:"patched"`
	Source     string   `yaml:"source"`
}

type Vulnerability struct {
	ID             string            `yaml:"id"`
	Title          string            `yaml:"title"`
	Description    string            `yaml:"description"`
	Severity       string            `yaml:"severity"`
	VendorSeverity map[string]string `yaml:"vendorSeverity"`
	CVSS3Vector    string            `yaml:"cvss3Vector"`
	CVSS3Score     float64           `yaml:"cvss3Score"`
	CweIDs         []string          `yaml:"cweIds"`
	References     []string          `yaml:"references"`
	Published      time.Time         `yaml:"published"`
	Source         string            `yaml:"source"`
}

var statuses = map[string]types.Status{
	"":             types.StatusUnknown,
	"affected":     types.StatusAffected,
	"will_not_fix": types.StatusWillNotFix,
	"fix_deferred": types.StatusFixDeferred,
	"end_of_life":  types.StatusEndOfLife,
}

func severity(name string) (types.Severity, error) {
	if name == "" {
		return types.SeverityUnknown, nil
	}
	return types.NewSeverity(strings.ToUpper(name))
}

func main() {
	if len(os.Args) != 3 && len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: trivydb ADVISORIES.yaml CACHE_DIR [UPDATED_AT]")
		os.Exit(2)
	}
	updatedAt := ""
	if len(os.Args) == 4 {
		updatedAt = os.Args[3]
	}
	if err := run(os.Args[1], os.Args[2], updatedAt); err != nil {
		fmt.Fprintln(os.Stderr, "trivydb:", err)
		os.Exit(1)
	}
}

func run(fixtureFile, cache, updatedAt string) error {
	raw, err := os.ReadFile(fixtureFile)
	if err != nil {
		return err
	}
	var fixture Fixture
	decoder := yaml.NewDecoder(strings.NewReader(string(raw)))
	decoder.KnownFields(true)
	if err := decoder.Decode(&fixture); err != nil {
		return fmt.Errorf("%s: %w", fixtureFile, err)
	}
	if updatedAt == "" {
		updatedAt = fixture.UpdatedAt
	}
	updated := time.Now().UTC()
	if updatedAt != "" {
		if updated, err = time.Parse(time.RFC3339, updatedAt); err != nil {
			return fmt.Errorf("updatedAt: %w", err)
		}
	}
	dbDir := filepath.Join(cache, "db")
	if err := os.RemoveAll(dbDir); err != nil {
		return err
	}
	if err := tdb.Init(dbDir); err != nil {
		return err
	}
	config := tdb.Config{}
	err = config.BatchUpdate(func(tx *bolt.Tx) error {
		for _, source := range fixture.DataSources {
			if err := config.PutDataSource(tx, source.Bucket, types.DataSource{ID: types.SourceID(source.ID), Name: source.Name, URL: source.URL}); err != nil {
				return err
			}
		}
		for _, a := range fixture.Debian {
			status, ok := statuses[a.Status]
			if !ok {
				return fmt.Errorf("%s %s: unknown status %q", a.Package, a.ID, a.Status)
			}
			sev, err := severity(a.Severity)
			if err != nil {
				return fmt.Errorf("%s %s: %w", a.Package, a.ID, err)
			}
			// A pointer: Advisory's JSON form (with Status) belongs to *Advisory.
			advisory := &types.Advisory{FixedVersion: a.Fixed, Status: status, Severity: sev, VendorIDs: a.VendorIDs}
			if err := config.PutAdvisory(tx, []string{"debian " + a.Release, a.Package}, a.ID, advisory); err != nil {
				return err
			}
		}
		for _, a := range fixture.Maven {
			advisory := &types.Advisory{VulnerableVersions: a.Vulnerable, PatchedVersions: a.Patched}
			bucket := []string{"maven::GitHub Security Advisory Maven", strings.ToLower(a.Package)}
			if err := config.PutAdvisory(tx, bucket, a.ID, advisory); err != nil {
				return err
			}
		}
		for _, v := range fixture.Vulnerabilities {
			vendor := types.VendorSeverity{}
			for source, name := range v.VendorSeverity {
				sev, err := severity(name)
				if err != nil {
					return fmt.Errorf("%s: %w", v.ID, err)
				}
				vendor[types.SourceID(source)] = sev
			}
			published := v.Published
			vulnerability := types.Vulnerability{
				Title: v.Title, Description: v.Description, Severity: strings.ToUpper(v.Severity), VendorSeverity: vendor,
				CweIDs: v.CweIDs, References: v.References, PublishedDate: &published, LastModifiedDate: &published,
			}
			if v.CVSS3Vector != "" {
				vulnerability.CVSS = types.VendorCVSS{"nvd": {V3Vector: v.CVSS3Vector, V3Score: v.CVSS3Score}}
			}
			if err := config.PutVulnerability(tx, v.ID, vulnerability); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := tdb.Close(); err != nil {
		return err
	}
	if err := metadata.NewClient(dbDir).Update(metadata.Metadata{
		Version: tdb.SchemaVersion, NextUpdate: updated.Add(24 * time.Hour), UpdatedAt: updated, DownloadedAt: updated,
	}); err != nil {
		return err
	}

	javaDir := filepath.Join(cache, "java-db")
	if err := os.RemoveAll(javaDir); err != nil {
		return err
	}
	javaDB, err := jdb.New(javaDir)
	if err != nil {
		return err
	}
	if err := javaDB.Init(); err != nil {
		return err
	}
	if err := javaDB.Close(); err != nil {
		return err
	}
	javaMetadata := jdb.NewMetadata(javaDir)
	return javaMetadata.Update(jdb.Metadata{
		Version: jdb.SchemaVersion, NextUpdate: updated.Add(24 * time.Hour), UpdatedAt: updated, DownloadedAt: updated,
	})
}

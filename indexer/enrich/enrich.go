package enrich

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Config selects the enrichment data.
type Config struct {
	Region       string // province-level region; "" is DefaultRegion
	TaxonomyFile string // "" is the embedded default taxonomy
	// District, when not empty, says that the inputs are one district's
	// bulletins (index --district): every article gets it first unless
	// it was given districts of its own. It must be a district of Region
	// (昌平 or 昌平区).
	District string
}

// Enricher infers districts and topics. It is immutable and safe for
// concurrent use.
type Enricher struct {
	Gazetteer *Gazetteer
	Taxonomy  *Taxonomy
	district  string // Config.District, canonical
}

// New loads the gazetteer of the region and the taxonomy.
func New(cfg Config) (*Enricher, error) {
	g, err := NewGazetteer(cfg.Region)
	if err != nil {
		return nil, err
	}
	t, err := LoadTaxonomy(cfg.TaxonomyFile)
	if err != nil {
		return nil, err
	}
	e := &Enricher{Gazetteer: g, Taxonomy: t}
	if cfg.District != "" {
		d := e.CanonicalDistrict(cfg.District)
		if !g.IsDistrict(d) {
			return nil, fmt.Errorf("district %q: not a district of %s (one of %s)", cfg.District, g.Region, strings.Join(g.Districts(), " "))
		}
		e.district = d
	}
	return e, nil
}

// Districts returns the districts an article is about, most relevant first.
// title and body are normalised text.
func (e *Enricher) Districts(title, body string) []string {
	return RankFor(e.Gazetteer.DistrictScores(title, body), utf8.RuneCountInString(body))
}

// Topics returns the article's topics, strongest first.
func (e *Enricher) Topics(title, body string) []string {
	return e.Taxonomy.Assign(title, body)
}

// CanonicalDistrict maps a given district name (昌平 or 昌平区) to the
// gazetteer's name; unknown names are returned trimmed.
func (e *Enricher) CanonicalDistrict(name string) string {
	name = strings.TrimSpace(name)
	if e.Gazetteer.IsDistrict(name) {
		return name
	}
	for _, d := range e.Gazetteer.districts {
		if shortDistrict(d) == name {
			return d
		}
	}
	return name
}

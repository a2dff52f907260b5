// MakeHuman macro sliders → weights of the macro targets, following macro.json's piecewise-linear
// parts (each slider blends its two neighbouring target values; a combination's weight is the
// product of its variables' weights). Only adult values are used (age ≥ 0.5 = 25 years: the source
// ships young/old targets only). Height and proportions targets exist only for average muscle and
// weight, so they are weighted by gender × age × their own slider (as if muscle/weight were average).

/** Two-sided slider: value in [0,1], centre 0.5 is `mid`. Returns { label: weight }. */
function twoSided(value, low, mid, high) {
  if (value < 0.5) return { [low]: (0.5 - value) / 0.5, [mid]: value / 0.5 };
  return { [mid]: (1 - value) / 0.5, [high]: (value - 0.5) / 0.5 };
}

/** Default MakeHuman human: gender 0.5, age 0.5 (25 years), muscle/weight/height/proportions 0.5, ethnicity 1/3 each. */
export const DEFAULT_SLIDERS = Object.freeze({
  gender: 0.5, age: 0.5, muscle: 0.5, weight: 0.5, height: 0.5, proportions: 0.5,
  african: 1 / 3, asian: 1 / 3, caucasian: 1 / 3,
});

/** Age in years (25…90) ↔ MakeHuman's age slider (0.5…1). */
export const ageSliderFromYears = (years) => 0.5 + ((years - 25) / 65) * 0.5;

/** Weights of the named targets (file names without `.target.gz`) for one slider setting. */
export function macroTargetWeights(s, targetNames) {
  if (s.age < 0.5) throw new Error(`age ${s.age}: only adults (≥ 0.5) are supported by the shipped targets`);
  const gender = { female: 1 - s.gender, male: s.gender };
  const age = { young: 1 - (s.age - 0.5) / 0.5, old: (s.age - 0.5) / 0.5 };
  const muscle = twoSided(s.muscle, 'minmuscle', 'averagemuscle', 'maxmuscle');
  const weight = twoSided(s.weight, 'minweight', 'averageweight', 'maxweight');
  const height = twoSided(s.height, 'minheight', '', 'maxheight');
  const proportions = twoSided(s.proportions, 'uncommonproportions', '', 'idealproportions');
  const raceSum = s.african + s.asian + s.caucasian;
  const race = { african: s.african / raceSum, asian: s.asian / raceSum, caucasian: s.caucasian / raceSum };

  const out = new Map();
  for (const name of targetNames) {
    const p = name.split('-');
    let w;
    if (p[0] in race) w = race[p[0]] * gender[p[1]] * age[p[2]];
    else if (p[0] === 'universal') w = gender[p[1]] * age[p[2]] * (muscle[p[3]] ?? 0) * (weight[p[4]] ?? 0);
    else if (p[0] === 'height') w = gender[p[1]] * age[p[2]] * (height[p[5]] ?? 0);
    else if (p[0] === 'proportions') w = gender[p[1]] * age[p[2]] * (proportions[p[5]] ?? 0);
    else throw new Error(`unknown macro target ${name}`);
    out.set(name, w);
  }
  return out;
}
